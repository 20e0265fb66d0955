package jp.tsunagu.consent.ledger;

/** The interface through which a consent decision was made. */
public enum Channel {
  WEB, MOBILE_APP, PAPER_FORM, COUNTER, API;

  public String dbValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Channel fromDb(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}

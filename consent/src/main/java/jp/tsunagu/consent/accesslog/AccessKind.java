package jp.tsunagu.consent.accesslog;

/** How a service came to have the data. */
public enum AccessKind {
  /** The service read the data from the platform. */
  READ,
  /** The platform pushed the data to the service. */
  PUSH;

  public String dbValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static AccessKind fromDb(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}

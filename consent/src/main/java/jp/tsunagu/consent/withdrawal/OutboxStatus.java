package jp.tsunagu.consent.withdrawal;

/** Delivery state of a queued Security Event Token. */
public enum OutboxStatus {
  PENDING, DELIVERED, FAILED, NO_ENDPOINT;

  public String dbValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static OutboxStatus fromDb(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}

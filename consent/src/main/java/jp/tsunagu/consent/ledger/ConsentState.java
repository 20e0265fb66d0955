package jp.tsunagu.consent.ledger;

/**
 * States of a consent record (ISO/IEC TS 27560 "consent status").
 *
 * <pre>
 *   (new) ──give──▶ GIVEN ──withdraw──▶ WITHDRAWN
 *     │               ├────expire────▶ EXPIRED
 *     │               └──supersede──▶ SUPERSEDED
 *     └───refuse──▶ REFUSED ──supersede──▶ SUPERSEDED
 * </pre>
 *
 * WITHDRAWN, EXPIRED and SUPERSEDED are final. A link is live while its latest record is GIVEN or
 * REFUSED; a later decision by the citizen supersedes it.
 */
public enum ConsentState {
  GIVEN, REFUSED, WITHDRAWN, EXPIRED, SUPERSEDED;

  public String dbValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static ConsentState fromDb(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }

  public boolean isLive() {
    return this == GIVEN || this == REFUSED;
  }
}

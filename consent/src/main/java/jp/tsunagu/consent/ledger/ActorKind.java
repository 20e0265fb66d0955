package jp.tsunagu.consent.ledger;

/** Who made a consent decision. */
public enum ActorKind {
  /** The citizen, for themselves. */
  CITIZEN,
  /** A guardian, for a child (the record's citizen). */
  GUARDIAN,
  /** Municipal staff recording a decision the citizen made on paper or at a counter. */
  STAFF_ASSISTED,
  /** The platform itself, for transitions nobody made by hand (expiry). Never a consent's author. */
  SYSTEM;

  public String dbValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static ActorKind fromDb(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}

package jp.tsunagu.platform.profile;

import jp.tsunagu.platform.http.ProblemException;

/** How often a citizen hears about what a subscription (or their profile) matched, stored as its rank. */
public enum Frequency {
  IMMEDIATE("immediate"), DAILY("daily"), WEEKLY("weekly");

  private final String apiName;

  Frequency(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }

  /** The stored rank: the most urgent of several matches is the smallest. */
  public short rank() {
    return (short) ordinal();
  }

  public static Frequency ofRank(int rank) {
    return values()[rank];
  }

  public static Frequency of(String name) {
    if (name == null) {
      return IMMEDIATE;
    }
    for (Frequency f : values()) {
      if (f.apiName.equals(name)) {
        return f;
      }
    }
    throw ProblemException.badRequest("invalid-frequency", "frequency must be immediate, daily or weekly");
  }
}

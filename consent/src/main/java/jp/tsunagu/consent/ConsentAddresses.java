package jp.tsunagu.consent;

/** Event-bus addresses of the consent module. */
public final class ConsentAddresses {
  /** Request/reply: drop cached decisions on one member; suffix with the member (node) id. */
  public static final String DECISION_CACHE_PREFIX = "consent.decision-cache.";

  private ConsentAddresses() {}

  /** The request/reply address of one member's decision cache. */
  public static String decisionCache(String memberId) {
    return DECISION_CACHE_PREFIX + memberId;
  }
}

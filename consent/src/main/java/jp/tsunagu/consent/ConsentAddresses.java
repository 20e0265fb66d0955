package jp.tsunagu.consent;

/** Event-bus addresses of the consent module. */
public final class ConsentAddresses {
  /** Request/reply: drop cached decisions on one member; suffix with the member (node) id. */
  public static final String DECISION_CACHE_PREFIX = "consent.decision-cache.";
  /** Published after a consent was withdrawn and every member's cache was invalidated. */
  public static final String CONSENT_WITHDRAWN = "consent.consent.withdrawn";
  /** Published after a consent was given. */
  public static final String CONSENT_GIVEN = "consent.consent.given";

  private ConsentAddresses() {}

  /** The request/reply address of one member's decision cache. */
  public static String decisionCache(String memberId) {
    return DECISION_CACHE_PREFIX + memberId;
  }
}

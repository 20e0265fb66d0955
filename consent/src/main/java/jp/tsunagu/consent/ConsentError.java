package jp.tsunagu.consent;

/**
 * Every expected failure of the consent module, written in one place. Each value carries the
 * RFC 9457 problem type and the HTTP status the platform's failure handler should use.
 */
public enum ConsentError {
  INVALID_REQUEST(400, "invalid-request"),
  UNKNOWN_SERVICE(404, "unknown-service"),
  UNDECLARED_ITEM(422, "undeclared-item"),
  UNDECLARED_PURPOSE(422, "undeclared-purpose"),
  REQUIRED_ITEM_MISSING(422, "required-item-missing"),
  STALE_NOTICE_VERSION(409, "stale-notice-version"),
  NOTICE_VERSION_NOT_INCREASING(409, "notice-version-not-increasing"),
  CONSENT_NOT_FOUND(404, "consent-not-found"),
  ILLEGAL_TRANSITION(409, "illegal-transition"),
  CONCURRENT_CHANGE(409, "concurrent-change"),
  CONSENT_DENIED(403, "consent-denied"),
  INVALIDATION_INCOMPLETE(503, "invalidation-incomplete"),
  TOKEN_REVOCATION_FAILED(503, "token-revocation-failed"),
  RECEIPT_INVALID(400, "receipt-invalid"),
  RECEIPT_REPLAYED(409, "receipt-replayed"),
  RECEIPT_STALE(409, "receipt-stale");

  private static final String TYPE_BASE = "https://tsunagu.jp/problems/consent/";

  private final int status;
  private final String slug;

  ConsentError(int status, String slug) {
    this.status = status;
    this.slug = slug;
  }

  /** HTTP status for a Problem Details response. */
  public int status() {
    return status;
  }

  /** Problem Details {@code type} URI. */
  public String type() {
    return TYPE_BASE + slug;
  }

  public ConsentException exception(String detail) {
    return new ConsentException(this, detail);
  }
}

package jp.tsunagu.platform.oidc;

/**
 * An OAuth 2.0 / OpenID Connect error: the error code of the specifications, a description for
 * the developer of the relying party and the HTTP status it is answered with.
 */
public final class OAuthError extends RuntimeException {
  private final String error;
  private final int status;
  private final String challenge;
  private final long retryAfter;

  private OAuthError(int status, String error, String description, String challenge) {
    this(status, error, description, challenge, -1);
  }

  private OAuthError(int status, String error, String description, String challenge, long retryAfter) {
    super(description, null, false, false);
    this.status = status;
    this.error = error;
    this.challenge = challenge;
    this.retryAfter = retryAfter;
  }

  /** Seconds for a Retry-After header (429, 503), or -1 for none. */
  public long retryAfter() {
    return retryAfter;
  }

  public String error() {
    return error;
  }

  public String description() {
    return getMessage();
  }

  public int status() {
    return status;
  }

  /** The WWW-Authenticate header to send with it, or null. */
  public String challenge() {
    return challenge;
  }

  public static OAuthError invalidRequest(String description) {
    return new OAuthError(400, "invalid_request", description, null);
  }

  public static OAuthError invalidGrant(String description) {
    return new OAuthError(400, "invalid_grant", description, null);
  }

  public static OAuthError invalidScope(String description) {
    return new OAuthError(400, "invalid_scope", description, null);
  }

  public static OAuthError unauthorizedClient(String description) {
    return new OAuthError(400, "unauthorized_client", description, null);
  }

  public static OAuthError unsupportedGrantType(String description) {
    return new OAuthError(400, "unsupported_grant_type", description, null);
  }

  public static OAuthError unsupportedResponseType(String description) {
    return new OAuthError(400, "unsupported_response_type", description, null);
  }

  public static OAuthError unsupportedTokenType(String description) {
    return new OAuthError(400, "unsupported_token_type", description, null);
  }

  /** 401; with Basic credentials the challenge names the scheme the client tried (RFC 6749 §5.2). */
  public static OAuthError invalidClient(String description, boolean basic) {
    return new OAuthError(401, "invalid_client", description, basic ? "Basic realm=\"tsunagu\", charset=\"UTF-8\"" : null);
  }

  public static OAuthError tooManyClientFailures(long retryAfter) {
    return new OAuthError(429, "invalid_client", "Too many failed client authentications; retry after " + retryAfter + " s", null,
        retryAfter);
  }

  /** A DPoP proof the token endpoint does not accept (RFC 9449 §5). */
  public static OAuthError invalidDpopProof(String description) {
    return new OAuthError(400, "invalid_dpop_proof", description, null);
  }

  /** At a resource: a DPoP proof that is not acceptable, with the DPoP challenge (RFC 9449 §7.1). */
  public static OAuthError invalidDpopProofAtResource(String description) {
    return new OAuthError(401, "invalid_dpop_proof", description, dpopChallenge("invalid_dpop_proof", description));
  }

  /** At a resource: a token that is not valid for the DPoP scheme (a bound token sent as Bearer, or the reverse). */
  public static OAuthError invalidTokenForDpop(String description) {
    return new OAuthError(401, "invalid_token", description, dpopChallenge("invalid_token", description));
  }

  private static String dpopChallenge(String error, String description) {
    return "DPoP error=\"" + error + "\", error_description=\"" + description.replace("\"", "'") + "\", algs=\""
        + DpopProofs.ALGORITHM_NAMES + "\"";
  }

  /** A bearer token that is missing (no error code, RFC 6750 §3.1) or not valid. */
  public static OAuthError invalidToken(String description) {
    return new OAuthError(401, "invalid_token", description,
        "Bearer realm=\"tsunagu\", error=\"invalid_token\", error_description=\"" + description.replace("\"", "'") + "\"");
  }

  public static OAuthError missingToken() {
    return new OAuthError(401, "invalid_request", "A bearer access token is required", "Bearer realm=\"tsunagu\"");
  }

  public static OAuthError insufficientScope(String scope) {
    return new OAuthError(403, "insufficient_scope", "The access token needs the scope " + scope,
        "Bearer realm=\"tsunagu\", error=\"insufficient_scope\", scope=\"" + scope + "\"");
  }

  /** Errors of the authorization endpoint answered by redirect (OIDC Core §3.1.2.6). */
  public static OAuthError authorization(String error, String description) {
    return new OAuthError(400, error, description, null);
  }

  /** A path or method the provider does not serve. */
  /** A method an endpoint does not answer (the caller sets Allow). */
  public static OAuthError methodNotAllowed(String description) {
    return new OAuthError(405, "invalid_request", description, null);
  }

  public static OAuthError notFound(String description) {
    return new OAuthError(404, "invalid_request", description, null);
  }

  /** A backend out of reach: 503 with temporarily_unavailable (the code RFC 6749 §4.1.2.1 names for it). */
  public static OAuthError temporarilyUnavailable(long retryAfter) {
    return new OAuthError(503, "temporarily_unavailable", "The provider cannot answer just now; retry after " + retryAfter + " s", null,
        retryAfter);
  }

  public static OAuthError serverError(String reference) {
    return new OAuthError(500, "server_error", "The server could not complete the request; reference " + reference, null);
  }
}

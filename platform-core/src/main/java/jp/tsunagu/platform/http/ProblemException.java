package jp.tsunagu.platform.http;

import io.vertx.core.json.JsonObject;

/**
 * An expected failure that the API reports as an RFC 9457 problem: a status, a stable type slug
 * (documented at {@code /problems/<slug>}), a short title and a detail for people.
 */
public class ProblemException extends RuntimeException {
  private final int status;
  private final String type;
  private final String title;
  private final JsonObject extensions;

  public ProblemException(int status, String type, String title, String detail) {
    this(status, type, title, detail, null);
  }

  public ProblemException(int status, String type, String title, String detail, JsonObject extensions) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.extensions = extensions;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public JsonObject extensions() {
    return extensions;
  }

  public static ProblemException badRequest(String type, String detail) {
    return new ProblemException(400, type, "Invalid request", detail);
  }

  public static ProblemException unauthorized(String detail) {
    return new ProblemException(401, "unauthenticated", "Sign-in required", detail);
  }

  public static ProblemException forbidden(String detail) {
    return new ProblemException(403, "forbidden", "Not allowed", detail);
  }

  public static ProblemException notFound(String what) {
    return new ProblemException(404, "not-found", "Not found", what + " does not exist");
  }

  public static ProblemException conflict(String type, String detail) {
    return new ProblemException(409, type, "Conflict", detail);
  }

  public static ProblemException gone(String type, String detail) {
    return new ProblemException(410, type, "No longer valid", detail);
  }

  public static ProblemException unprocessable(String type, String detail) {
    return new ProblemException(422, type, "Cannot be processed", detail);
  }

  public static ProblemException tooManyRequests(long retryAfterSeconds) {
    return new ProblemException(429, "rate-limited", "Too many attempts",
        "Too many attempts; try again in " + retryAfterSeconds + " s",
        new JsonObject().put("retryAfter", retryAfterSeconds));
  }

  /** The node cannot take this now (a full queue): 503, with when to try again. */
  public static ProblemException busy(String type, String title, String detail, long retryAfterSeconds) {
    return new ProblemException(503, type, title, detail, new JsonObject().put("retryAfter", retryAfterSeconds));
  }
}

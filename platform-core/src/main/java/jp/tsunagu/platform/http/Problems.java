package jp.tsunagu.platform.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns failures into RFC 9457 {@code application/problem+json} responses. */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  /** Failure handler for the JSON API. */
  public static void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    write(ctx, toProblem(ctx));
  }

  /** When a caller answered 503 for an unavailable backend is told to try again. */
  public static final int RETRY_SECONDS = 5;
  /** PostgreSQL's codes for a server shutting down, not accepting connections yet, or full. */
  private static final java.util.Set<String> SERVER_NOT_ANSWERING = java.util.Set.of("57P01", "57P02", "57P03", "53300");

  /**
   * Whether a failure is the database (or another backend) being out of reach rather than an error
   * of the request or the code: no connection in time, a connection refused or lost, the server
   * shutting down or refusing connections. Those are answered 503 with Retry-After.
   */
  public static boolean unavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // the SQL client's pool says "Timeout waiting for connection" with a plain VertxException
      if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.ConnectException
          || t instanceof io.vertx.sqlclient.ClosedConnectionException
          || t instanceof io.vertx.core.VertxException && t.getMessage() != null && t.getMessage().startsWith("Timeout waiting for connection")) {
        return true;
      }
      if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
          && (pg.getSqlState().startsWith("08") || SERVER_NOT_ANSWERING.contains(pg.getSqlState()))) {
        return true;
      }
    }
    return false;
  }

  public static ProblemException toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int code = ctx.statusCode();
    if (failure instanceof HttpException http && http.getCause() != null) {
      code = http.getStatusCode();
      failure = http.getCause();
    }
    if (failure instanceof ProblemException p) {
      return p;
    }
    if (failure instanceof jp.tsunagu.consent.ConsentException e) {
      return new ProblemException(e.error().status(), e.error().type(), "Consent", e.getMessage());
    }
    if (failure instanceof SchemaValidationException e) {
      return new ProblemException(400, "invalid-request", "Invalid request", e.getMessage(),
          new JsonObject().put("errors", e.getOutputUnit() == null ? null : e.getOutputUnit().toJson()));
    }
    if (failure instanceof ValidatorException e) {
      String msg = e.getMessage() == null ? "invalid request" : e.getMessage();
      if (msg.contains("content type") || msg.contains("content-type") || msg.contains("Content-Type")) {
        return new ProblemException(415, "unsupported-media-type", "Unsupported media type", msg);
      }
      return new ProblemException(400, "invalid-request", "Invalid request", msg);
    }
    if (unavailable(failure) || code == 503) {
      return new ProblemException(503, "unavailable", "Service unavailable",
          "The service cannot answer just now; try again in a few seconds", new JsonObject().put("retryAfter", RETRY_SECONDS));
    }
    if (failure instanceof DecodeException) {
      return new ProblemException(400, "malformed-json", "Malformed JSON", "The request body is not valid JSON");
    }
    if (failure instanceof HttpException e) {
      code = e.getStatusCode();
    }
    if (code == 413) {
      return new ProblemException(413, "body-too-large", "Request body too large", "The request body exceeds the allowed size");
    }
    if (code == 404) {
      return new ProblemException(404, "not-found", "Not found", "No resource at " + ctx.request().path());
    }
    if (code == 405) {
      return new ProblemException(405, "method-not-allowed", "Method not allowed", ctx.request().method() + " is not allowed here");
    }
    if (code == 415) {
      return new ProblemException(415, "unsupported-media-type", "Unsupported media type", "The request content type is not accepted here");
    }
    if (code >= 400 && code < 500) {
      return new ProblemException(code, "client-error", HttpResponseStatus.valueOf(code).reasonPhrase(),
          failure == null || failure.getMessage() == null ? HttpResponseStatus.valueOf(code).reasonPhrase() : failure.getMessage());
    }
    String errorId = UUID.randomUUID().toString();
    LOG.error("unexpected failure {} on {} {}", errorId, ctx.request().method(), ctx.request().path(), failure);
    return new ProblemException(500, "internal-error", "Internal error",
        "The server could not complete the request; reference " + errorId);
  }

  public static void write(RoutingContext ctx, ProblemException p) {
    JsonObject body = new JsonObject()
        .put("type", "/problems/" + p.type())
        .put("title", p.title())
        .put("status", p.status())
        .put("detail", p.detail())
        .put("instance", ctx.request().path());
    if (p.extensions() != null) {
      body.mergeIn(p.extensions());
    }
    HttpServerResponse response = ctx.response().setStatusCode(p.status()).putHeader("Content-Type", CONTENT_TYPE);
    retryAfter(response, p);
    if (p.status() == 401 && !response.headers().contains("WWW-Authenticate")) {
      // a bearer-token check may have set its own challenge (RFC 6750 §3)
      response.putHeader("WWW-Authenticate", "Cookie realm=\"tsunagu\"");
    }
    response.end(body.encode());
  }

  /** A refusal that says when to come back (429, or 503 with a {@code retryAfter}) says so in Retry-After too. */
  public static void retryAfter(HttpServerResponse response, ProblemException p) {
    if ((p.status() == 429 || p.status() == 503) && p.extensions() != null && p.extensions().containsKey("retryAfter")) {
      response.putHeader("Retry-After", String.valueOf(p.extensions().getLong("retryAfter")));
    }
  }
}

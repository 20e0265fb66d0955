package jp.tsunagu.platform.oidc;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one failure handler of the OpenID endpoints: the OAuth error JSON of RFC 6749 §5.2. */
public final class OAuthErrors {
  private static final Logger LOG = LoggerFactory.getLogger(OAuthErrors.class);

  private OAuthErrors() {}

  public static void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    write(ctx, toError(ctx));
  }

  static OAuthError toError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof OAuthError e) {
      return e;
    }
    if (failure instanceof jp.tsunagu.platform.http.ProblemException p && p.status() == 429) {
      return OAuthError.tooManyClientFailures(p.extensions() == null ? 60 : p.extensions().getLong("retryAfter", 60L));
    }
    if (failure instanceof jp.tsunagu.platform.http.ProblemException p && p.status() == 403) {
      return OAuthError.invalidRequest(p.detail());
    }
    int code = failure instanceof HttpException h ? h.getStatusCode() : ctx.statusCode();
    if (code == 503 || jp.tsunagu.platform.http.Problems.unavailable(failure)) {
      return OAuthError.temporarilyUnavailable(jp.tsunagu.platform.http.Problems.RETRY_SECONDS);
    }
    if (code == 413) {
      return OAuthError.invalidRequest("The request body is too large");
    }
    if (code == 404 || code == 405) {
      return OAuthError.notFound(ctx.request().method() + " " + ctx.request().path() + " is not an endpoint of this provider");
    }
    String ref = UUID.randomUUID().toString();
    LOG.error("unexpected failure {} on {} {}", ref, ctx.request().method(), ctx.request().path(), failure);
    return OAuthError.serverError(ref);
  }

  static void write(RoutingContext ctx, OAuthError e) {
    var response = ctx.response().setStatusCode(e.status())
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Pragma", "no-cache");
    if (e.challenge() != null) {
      response.putHeader("WWW-Authenticate", e.challenge());
    }
    if (e.retryAfter() >= 0) {
      response.putHeader("Retry-After", Long.toString(e.retryAfter()));
    }
    response.end(new JsonObject().put("error", e.error()).put("error_description", e.description()).encode());
  }
}

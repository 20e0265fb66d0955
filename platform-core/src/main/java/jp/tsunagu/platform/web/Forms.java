package jp.tsunagu.platform.web;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.function.Consumer;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.http.Problems;
import jp.tsunagu.platform.security.PasswordHasher;

/** Reading submitted forms and answering refused ones. */
final class Forms {
  private Forms() {}

  static String field(RoutingContext ctx, String name) {
    String value = ctx.request().getFormAttribute(name);
    return value == null ? "" : value;
  }

  static UUID uuid(RoutingContext ctx, String name) {
    try {
      return UUID.fromString(field(ctx, name));
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("invalid-request", name + " is not an id");
    }
  }

  /**
   * A refused form is shown again with the reason (status 4xx, or 503 when the password workers'
   * queue is full, so the citizen can simply send it again; no redirect, so the typed values survive); a missing sign-in, a missing role and unexpected failures go to the failure handler.
   */
  static void refused(RoutingContext ctx, Throwable err, Consumer<ProblemException> showAgain) {
    if (err instanceof ProblemException p && (p.status() >= 400 && p.status() < 500
        && !"unauthenticated".equals(p.type()) && !"forbidden".equals(p.type()) && !"not-found".equals(p.type())
        || PasswordHasher.busy(p))) {
      Problems.retryAfter(ctx.response(), p);
      showAgain.accept(p);
    } else {
      ctx.fail(err);
    }
  }
}

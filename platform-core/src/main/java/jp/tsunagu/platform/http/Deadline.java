package jp.tsunagu.platform.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * A request that has not begun its answer a given time after its body arrived is answered 503 (a
 * database that stopped answering, a backend out of reach), so that no caller waits forever. A
 * response already under way (a download, the live notification stream) is left alone, and so are
 * the paths given, which answer for as long as the client listens.
 */
final class Deadline implements Handler<RoutingContext> {
  private final long millis;
  private final Set<String> open;

  Deadline(long millis, Set<String> open) {
    this.millis = millis;
    this.open = open;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (open.contains(ctx.normalizedPath())) {
      ctx.next();
      return;
    }
    long timer = ctx.vertx().setTimer(millis, t -> {
      if (!ctx.response().headWritten() && !ctx.response().ended() && !ctx.failed()) {
        ctx.fail(503);
      }
    });
    ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
    ctx.next();
  }
}

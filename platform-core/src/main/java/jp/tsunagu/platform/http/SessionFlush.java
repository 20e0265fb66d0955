package jp.tsunagu.platform.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SessionHandler;

/**
 * Stores the session before the response goes out. Vert.x Web otherwise writes a changed session
 * to the cluster while the response is already on its way, so the browser's next request (say,
 * the GET after a redirect, or the API call after a sign-in) could reach a node before the write
 * and see the old session. Every response that may follow a session change goes through here.
 */
public final class SessionFlush {
  static final String HANDLER = "tsunagu.sessionHandler";

  private SessionFlush() {}

  /** Root handler that makes the session handler reachable from the response helpers. */
  static io.vertx.core.Handler<RoutingContext> expose(SessionHandler sessions) {
    return ctx -> {
      ctx.put(HANDLER, sessions);
      ctx.next();
    };
  }

  /** Completes once the session (if any was used) is stored; a failed store fails the future. */
  public static Future<Void> flush(RoutingContext ctx) {
    SessionHandler sessions = ctx.get(HANDLER);
    if (sessions == null || existing(ctx) == null) {
      return Future.succeededFuture();
    }
    return sessions.flush(ctx, true);
  }

  /**
   * The session, when the browser came with one or this request has used it; otherwise null, without
   * touching it. Vert.x stores a lazy session once anything has asked for it, so code that only
   * reads ("is someone signed in?") goes through here: a first visit that stores nothing leaves
   * nothing in the cluster's session map.
   */
  public static io.vertx.ext.web.Session existing(RoutingContext ctx) {
    return ctx.isSessionAccessed() || ctx.request().getCookie(HttpVerticle.SESSION_COOKIE) != null ? ctx.session() : null;
  }
}

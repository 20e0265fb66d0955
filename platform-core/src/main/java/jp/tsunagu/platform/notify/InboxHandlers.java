package jp.tsunagu.platform.notify;

import static jp.tsunagu.platform.http.Api.body;
import static jp.tsunagu.platform.http.Api.query;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import jp.tsunagu.platform.http.Auth;

/** HTTP adapter of the inbox; one method per operationId (the live stream is {@link LiveInbox}). */
public final class InboxHandlers {
  private final InboxRepository inbox;
  private final Auth auth;

  InboxHandlers(InboxRepository inbox, Auth auth) {
    this.inbox = inbox;
    this.auth = auth;
  }

  public void listMyNotifications(RoutingContext ctx) {
    RequestParameter before = query(ctx, "before");
    RequestParameter unread = query(ctx, "unread");
    RequestParameter limit = query(ctx, "limit");
    respond(ctx, 200, auth.citizen(ctx).compose(a -> inbox.list(a.id(), before == null || before.isNull() ? null : before.getLong(),
            unread != null && !unread.isNull() && unread.getBoolean(), limit == null || limit.isNull() ? 50 : limit.getInteger())
        .compose(items -> inbox.unread(a.id()).map(count -> new JsonObject().put("items", items).put("unread", count)))));
  }

  public void getUnreadCount(RoutingContext ctx) {
    respond(ctx, 200, auth.citizen(ctx).compose(a -> inbox.unread(a.id())).map(n -> new JsonObject().put("unread", n)));
  }

  public void recordNotificationOpened(RoutingContext ctx) {
    long id = Long.parseLong(ctx.pathParam("notificationId")); // validated by the contract: a positive integer
    String channel = body(ctx).getString("channel");
    respond(ctx, 204, auth.citizen(ctx).compose(a -> inbox.opened(a.id(), id, channel)));
  }

  public void markNotificationsRead(RoutingContext ctx) {
    JsonObject b = body(ctx);
    JsonArray ids = b.getJsonArray("ids");
    Long[] which = Boolean.TRUE.equals(b.getBoolean("all")) || ids == null ? null
        : ids.stream().map(v -> ((Number) v).longValue()).toArray(Long[]::new);
    respond(ctx, 200, auth.citizen(ctx).compose(a -> inbox.markRead(a.id(), which).compose(v -> inbox.unread(a.id())))
        .map(n -> new JsonObject().put("unread", n)));
  }
}

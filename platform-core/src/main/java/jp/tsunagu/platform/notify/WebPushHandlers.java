package jp.tsunagu.platform.notify;

import static jp.tsunagu.platform.http.Api.body;
import static jp.tsunagu.platform.http.Api.path;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import jp.tsunagu.platform.http.Auth;

/** HTTP adapter of Web Push: the application server key and the citizen's push subscriptions. */
public final class WebPushHandlers {
  private final PushSubscriptions subscriptions;
  private final Vapid vapid;
  private final Auth auth;

  WebPushHandlers(PushSubscriptions subscriptions, Vapid vapid, Auth auth) {
    this.subscriptions = subscriptions;
    this.vapid = vapid;
    this.auth = auth;
  }

  public void getWebPushKey(RoutingContext ctx) {
    respond(ctx, 200, Future.succeededFuture(new JsonObject().put("applicationServerKey", vapid.publicKey())));
  }

  public void listMyPushSubscriptions(RoutingContext ctx) {
    respond(ctx, 200, auth.citizen(ctx).compose(a -> subscriptions.list(a.id())).map(items -> new JsonObject().put("items", items)));
  }

  public void createPushSubscription(RoutingContext ctx) {
    JsonObject b = body(ctx);
    JsonObject keys = b.getJsonObject("keys", new JsonObject());
    respond(ctx, 201, auth.citizen(ctx).compose(a -> subscriptions.subscribe(a.id(), b.getString("endpoint"),
        keys.getString("p256dh"), keys.getString("auth"))));
  }

  public void deletePushSubscription(RoutingContext ctx) {
    UUID id = UUID.fromString(path(ctx, "pushSubscriptionId"));
    respond(ctx, 204, auth.citizen(ctx).compose(a -> subscriptions.delete(a.id(), id)));
  }
}

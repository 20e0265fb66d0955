package jp.tsunagu.platform.notify;

import static jp.tsunagu.platform.http.Api.body;
import static jp.tsunagu.platform.http.Api.path;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import jp.tsunagu.platform.http.Auth;

/** HTTP adapter of the citizen's webhook endpoints; one method per operationId. */
public final class WebhookHandlers {
  private final WebhookEndpoints endpoints;
  private final Auth auth;

  WebhookHandlers(WebhookEndpoints endpoints, Auth auth) {
    this.endpoints = endpoints;
    this.auth = auth;
  }

  public void listMyWebhooks(RoutingContext ctx) {
    respond(ctx, 200, auth.citizen(ctx).compose(a -> endpoints.list(a.id())).map(items -> new JsonObject().put("items", items)));
  }

  public void createWebhook(RoutingContext ctx) {
    String url = body(ctx).getString("url");
    respond(ctx, 201, auth.citizen(ctx).compose(a -> endpoints.create(a.id(), url)));
  }

  public void deleteWebhook(RoutingContext ctx) {
    UUID id = UUID.fromString(path(ctx, "webhookId"));
    respond(ctx, 204, auth.citizen(ctx).compose(a -> endpoints.delete(a.id(), id)));
  }
}

package jp.tsunagu.platform.oidc;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.http.Api.body;
import static jp.tsunagu.platform.http.Api.path;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;

/** HTTP adapter of the staff API for relying parties and signing keys; one method per operationId. */
public final class ClientHandlers {
  private final ClientService clients;
  private final SigningKeys keys;
  private final Auth auth;

  public ClientHandlers(ClientService clients, SigningKeys keys, Auth auth) {
    this.clients = clients;
    this.keys = keys;
    this.auth = auth;
  }

  public void registerOidcClient(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    JsonObject registration = body(ctx);
    respond(ctx, 201, auth.staff(ctx).compose(s -> attempt(() -> clients.register(s, tenant, registration)))
        .map(r -> {
          JsonObject json = r.client().toJson();
          if (r.secret() != null) {
            json.put("clientSecret", r.secret());
          }
          return json;
        }));
  }

  public void listOidcClients(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    respond(ctx, 200, auth.staff(ctx).compose(s -> attempt(() -> clients.list(s, tenant))).map(list -> {
      JsonArray items = new JsonArray();
      list.forEach(c -> items.add(c.toJson()));
      return new JsonObject().put("items", items);
    }));
  }

  public void getOidcClient(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    String id = path(ctx, "clientId");
    respond(ctx, 200, auth.staff(ctx).compose(s -> attempt(() -> clients.get(s, tenant, id))).map(Client::toJson));
  }

  public void deleteOidcClient(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    String id = path(ctx, "clientId");
    respond(ctx, 204, auth.staff(ctx).compose(s -> attempt(() -> clients.delete(s, tenant, id))));
  }

  public void getOidcClientNotice(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    String id = path(ctx, "clientId");
    respond(ctx, 200, auth.staff(ctx).compose(s -> attempt(() -> clients.notice(s, tenant, id))).map(n -> toJson(id, n)));
  }

  public void publishOidcClientNotice(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    String id = path(ctx, "clientId");
    JsonObject notice = body(ctx);
    respond(ctx, 200, auth.staff(ctx).compose(s -> attempt(() -> clients.publishNotice(s, tenant, id, notice))).map(n -> toJson(id, n)));
  }

  static JsonObject toJson(String clientId, ServiceConsent.Notice n) {
    JsonArray items = new JsonArray();
    n.items().forEach(i -> items.add(new JsonObject().put("id", i.id()).put("required", i.required()).put("scope", i.scope())
        .put("label", new JsonObject().put("ja", i.labelJa()).put("en", i.labelEn()))));
    JsonArray purposes = new JsonArray();
    n.purposes().forEach(p -> purposes.add(new JsonObject().put("id", p.id())
        .put("label", new JsonObject().put("ja", p.labelJa()).put("en", p.labelEn()))));
    return new JsonObject().put("serviceId", ServiceConsent.serviceId(clientId)).put("noticeVersion", n.version())
        .put("notice", new JsonObject().put("ja", n.textJa()).put("en", n.textEn())).put("items", items).put("purposes", purposes);
  }

  /** Platform operators rotate the provider's signing keys on demand. */
  public void rotateSigningKeys(RoutingContext ctx) {
    respond(ctx, 202, auth.staff(ctx).compose(s -> s.operator() ? keys.rotate()
            : io.vertx.core.Future.failedFuture(ProblemException.forbidden("Only platform operators rotate signing keys")))
        .map(kids -> new JsonObject().put("added", new JsonArray(kids))));
  }
}

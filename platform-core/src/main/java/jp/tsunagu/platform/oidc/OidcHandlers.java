package jp.tsunagu.platform.oidc;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.platform.http.Api;

/**
 * HTTP adapter of the OpenID endpoints that answer JSON: discovery, JWKS, token, userinfo,
 * revocation, introspection, pushed authorization requests. Requests are form-encoded, errors are OAuth error JSON (written by
 * {@link OAuthErrors}), and no token response may be cached.
 */
public final class OidcHandlers {
  private final Oidc oidc;
  private final String discovery;

  OidcHandlers(Oidc oidc) {
    this.oidc = oidc;
    this.discovery = Discovery.document(oidc.issuer(), oidc.authorization().pushRequired()).encodePrettily();
  }

  /**
   * CORS without credentials (Fetch standard); answers preflight requests itself. A browser-based
   * client may read WWW-Authenticate, where userinfo names a bearer or DPoP error (RFC 6750 §3, RFC 9449 §7.1).
   */
  static void cors(RoutingContext ctx) {
    ctx.response().putHeader("Access-Control-Allow-Origin", "*").putHeader("Access-Control-Expose-Headers", "WWW-Authenticate");
    if (ctx.request().method() == HttpMethod.OPTIONS) {
      ctx.response().putHeader("Access-Control-Allow-Methods", "GET, POST")
          .putHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, DPoP")
          .putHeader("Access-Control-Max-Age", "600").setStatusCode(204).end();
      return;
    }
    ctx.next();
  }

  public void discovery(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "public, max-age=3600")
        .end(discovery);
  }

  public void jwks(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/jwk-set+json").putHeader("Cache-Control", "public, max-age=300")
        .end(oidc.keys().jwksJson());
  }

  public void token(RoutingContext ctx) {
    Map<String, String> p = form(ctx);
    String grantType = p.get("grant_type");
    respond(ctx, authenticate(ctx, p, Oidc.TOKEN_PATH).compose(client -> {
      if (grantType == null) {
        return Future.failedFuture(OAuthError.invalidRequest("grant_type is required"));
      }
      if (!List.of(Client.AUTHORIZATION_CODE, Client.REFRESH_TOKEN, Client.CLIENT_CREDENTIALS).contains(grantType)) {
        return Future.failedFuture(OAuthError.unsupportedGrantType("Supported: authorization_code, refresh_token, client_credentials"));
      }
      if (!client.allows(grantType)) {
        return Future.failedFuture(OAuthError.unauthorizedClient("This client may not use " + grantType));
      }
      return proofKey(ctx, Oidc.TOKEN_PATH).compose(jkt -> jkt == null && client.dpopBound()
          ? Future.failedFuture(OAuthError.invalidDpopProof("This client is registered for DPoP-bound access tokens: send a DPoP proof"))
          : Api.attempt(() -> switch (grantType) {
            case Client.AUTHORIZATION_CODE -> oidc.tokens().exchangeCode(client, p, jkt);
            case Client.REFRESH_TOKEN -> oidc.tokens().refresh(client, p, jkt);
            default -> oidc.tokens().clientCredentials(client, p, jkt);
          }));
    }));
  }

  /** The key of the request's DPoP proof (RFC 9449 §5, §10.1), or null without one. */
  private Future<String> proofKey(RoutingContext ctx, String path) {
    List<String> proofs = ctx.request().headers().getAll("DPoP");
    if (proofs.isEmpty()) {
      return Future.succeededFuture(null);
    }
    if (proofs.size() > 1) {
      return Future.failedFuture(OAuthError.invalidDpopProof("Send exactly one DPoP proof"));
    }
    return oidc.dpop().check(proofs.get(0), "POST", oidc.issuer() + path, null)
        .recover(err -> Future.failedFuture(err instanceof DpopProofs.BadProof b ? OAuthError.invalidDpopProof(b.getMessage()) : err));
  }

  public void userinfo(RoutingContext ctx) {
    String dpopToken = TokenVerifier.dpopToken(ctx.request().getHeader("Authorization"));
    String token = dpopToken != null ? dpopToken : bearer(ctx);
    respond(ctx, oidc.verifier().presented(token, dpopToken != null, ctx.request().headers().getAll("DPoP"), ctx.request().method().name(),
        oidc.issuer() + Oidc.USERINFO_PATH).compose(oidc.userinfo()::claims));
  }

  public void revoke(RoutingContext ctx) {
    Map<String, String> p = form(ctx);
    respond(ctx, authenticate(ctx, p, Oidc.REVOCATION_PATH)
        .compose(client -> oidc.admin().revoke(client, required(p, "token")))
        .map(v -> new JsonObject()));
  }

  public void introspect(RoutingContext ctx) {
    Map<String, String> p = form(ctx);
    respond(ctx, authenticate(ctx, p, Oidc.INTROSPECTION_PATH).compose(client -> client.confidential()
        ? oidc.admin().introspect(client, required(p, "token"))
        : Future.failedFuture(OAuthError.invalidClient("Introspection is for confidential clients", false))));
  }

  /** POST /oauth2/par (RFC 9126): 201 with the request_uri, or the error as at the token endpoint. */
  public void pushAuthorization(RoutingContext ctx) {
    Map<String, String> p = form(ctx);
    authenticate(ctx, p, Oidc.PAR_PATH)
        .compose(client -> proofKey(ctx, Oidc.PAR_PATH).compose(jkt -> Api.attempt(() -> oidc.authorization().push(client, p, jkt))))
        .onSuccess(pushed -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-store").putHeader("Pragma", "no-cache")
            .end(new JsonObject().put("request_uri", pushed.requestUri()).put("expires_in", pushed.expiresIn()).encode()))
        .onFailure(ctx::fail);
  }

  private Future<Client> authenticate(RoutingContext ctx, Map<String, String> p, String path) {
    return oidc.authenticator().authenticate(ctx.request().getHeader("Authorization"), p, oidc.issuer() + path, Api.clientAddress(ctx));
  }

  /** The bearer token of a userinfo request: the Authorization header, or (POST) the form field (RFC 6750 §2.1–2.2). */
  private static String bearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String field = ctx.request().method() == HttpMethod.POST && isForm(ctx) ? ctx.request().getFormAttribute("access_token") : null;
    if (header != null && field != null) {
      throw OAuthError.invalidRequest("Send the access token once");
    }
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && header.length() > 7) {
      return header.substring(7).trim();
    }
    if (field != null && !field.isEmpty()) {
      return field;
    }
    throw OAuthError.missingToken();
  }

  /** Single-valued form parameters; a repeated one is refused (RFC 6749 §3.1, §3.2). */
  static Map<String, String> form(RoutingContext ctx) {
    if (!isForm(ctx)) {
      throw OAuthError.invalidRequest("The body must be application/x-www-form-urlencoded");
    }
    MultiMap attrs = ctx.request().formAttributes();
    Map<String, String> out = new HashMap<>();
    for (String name : attrs.names()) {
      List<String> values = attrs.getAll(name);
      if (values.size() > 1) {
        throw OAuthError.invalidRequest("The parameter " + name + " is given more than once");
      }
      out.put(name, values.get(0));
    }
    return out;
  }

  private static boolean isForm(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  private static String required(Map<String, String> p, String name) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      throw OAuthError.invalidRequest(name + " is required");
    }
    return v;
  }

  private static void respond(RoutingContext ctx, Future<JsonObject> result) {
    result.onSuccess(json -> ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
            .putHeader("Pragma", "no-cache").end(json.encode()))
        .onFailure(ctx::fail);
  }

  static JsonArray array(String... values) {
    return new JsonArray(List.of(values));
  }
}

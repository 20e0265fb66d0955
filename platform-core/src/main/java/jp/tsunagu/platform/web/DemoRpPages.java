package jp.tsunagu.platform.web;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.security.Tokens;

/**
 * The demo service at {@code /demo-rp/} (only with {@code --demo}): a relying party of its own
 * kind, written against the provider's public endpoints only, as any service would be. It signs a
 * citizen in through the real flow (a pushed authorization request, code with PKCE S256, state, nonce), checks the ID token against
 * the JWKS, reads userinfo and shows who signed in; signing out uses RP-initiated logout.
 */
public final class DemoRpPages {
  public static final String CLIENT_ID = "shimada-demo-rp";
  /** Fixed only for the local demo, which prints it and README shows it; never in a real deployment. */
  public static final String CLIENT_SECRET = "demo-rp-secret-2026";
  private static final String PENDING = "demo-rp.pending";
  private static final String SIGNED_IN = "demo-rp.signed-in";

  private final WebClient web;
  private final View view;
  private final String issuer;

  DemoRpPages(Vertx vertx, View view, String issuer) {
    this.web = WebClient.create(vertx);
    this.view = view;
    this.issuer = issuer;
  }

  public static String redirectUri(String issuer) {
    return issuer + "/demo-rp/callback";
  }

  void home(RoutingContext ctx) {
    JsonObject who = ctx.session() == null ? null : ctx.session().get(SIGNED_IN);
    Map<String, Object> model = new HashMap<>();
    model.put("clientId", CLIENT_ID);
    if (who != null) {
      model.put("who", who.getMap());
    }
    view.render(ctx, "demo-rp", model);
  }

  /** Starts signing in; also the service's initiate-login URI (OIDC Core §4), where {@code iss} must be this provider. */
  void login(RoutingContext ctx) {
    String iss = ctx.request().getParam("iss");
    if (iss != null && !iss.equals(issuer)) {
      ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8").end("unknown issuer");
      return;
    }
    String state = Tokens.urlToken();
    String nonce = Tokens.urlToken();
    String verifier = Tokens.urlToken();
    ctx.session().put(PENDING, new JsonObject().put("state", state).put("nonce", nonce).put("verifier", verifier));
    String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(Tokens.sha256(verifier));
    // the request goes to the pushed authorization request endpoint (RFC 9126); the browser carries only its request_uri
    MultiMap request = MultiMap.caseInsensitiveMultiMap().add("response_type", "code").add("redirect_uri", redirectUri(issuer))
        .add("scope", "openid profile email municipality").add("state", state).add("nonce", nonce)
        .add("code_challenge", challenge).add("code_challenge_method", "S256");
    web.postAbs(issuer + "/oauth2/par").basicAuthentication(CLIENT_ID, CLIENT_SECRET).sendForm(request)
        .compose(r -> r.statusCode() == 201 ? Future.succeededFuture(r.bodyAsJsonObject().getString("request_uri"))
            : Future.failedFuture(ProblemException.badRequest("demo-rp-par", "The pushed authorization request endpoint answered "
                + r.bodyAsString())))
        .onSuccess(uri -> View.redirect(ctx, issuer + "/oauth2/authorize?client_id=" + CLIENT_ID + "&request_uri=" + enc(uri)))
        .onFailure(ctx::fail);
  }

  void callback(RoutingContext ctx) {
    JsonObject pending = ctx.session() == null ? null : ctx.session().remove(PENDING);
    String state = ctx.request().getParam("state");
    if (pending == null || state == null || !MessageDigest.isEqual(state.getBytes(StandardCharsets.US_ASCII),
        pending.getString("state").getBytes(StandardCharsets.US_ASCII)) || !issuer.equals(ctx.request().getParam("iss"))) {
      ctx.fail(ProblemException.badRequest("demo-rp-state", "The answer does not belong to a sign-in started here"));
      return;
    }
    if (ctx.request().getParam("error") != null) {
      ctx.fail(ProblemException.badRequest("demo-rp-refused", "The provider answered " + ctx.request().getParam("error")));
      return;
    }
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("grant_type", "authorization_code")
        .add("code", ctx.request().getParam("code")).add("redirect_uri", redirectUri(issuer)).add("code_verifier", pending.getString("verifier"));
    web.postAbs(issuer + "/oauth2/token").basicAuthentication(CLIENT_ID, CLIENT_SECRET).sendForm(form)
        .compose(r -> r.statusCode() == 200 ? Future.succeededFuture(r.bodyAsJsonObject())
            : Future.failedFuture(ProblemException.badRequest("demo-rp-token", "The token endpoint answered " + r.bodyAsString())))
        .compose(tokens -> web.getAbs(issuer + "/oauth2/jwks").send()
            .map(keys -> verify(tokens.getString("id_token"), keys.bodyAsString(), pending.getString("nonce")))
            .compose(id -> web.getAbs(issuer + "/oauth2/userinfo").bearerTokenAuthentication(tokens.getString("access_token")).send()
                .map(info -> who(id, info.bodyAsJsonObject(), tokens.getString("id_token")))))
        .onSuccess(who -> {
          ctx.session().put(SIGNED_IN, who);
          View.redirect(ctx, "/demo-rp/");
        })
        .onFailure(ctx::fail);
  }

  void signOut(RoutingContext ctx) {
    JsonObject who = ctx.session() == null ? null : ctx.session().remove(SIGNED_IN);
    if (who == null) {
      View.redirect(ctx, "/demo-rp/");
      return;
    }
    View.redirect(ctx, issuer + "/oauth2/logout?id_token_hint=" + who.getString("idToken") + "&post_logout_redirect_uri="
        + enc(issuer + "/demo-rp/") + "&state=" + Tokens.urlToken());
  }

  /** The checks OIDC Core §3.1.3.7 asks of a relying party. */
  private JWTClaimsSet verify(String idToken, String jwks, String nonce) {
    try {
      SignedJWT jwt = SignedJWT.parse(idToken);
      JWK key = JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
      JWSVerifier verifier = key instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) key);
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      if (!jwt.verify(verifier) || !issuer.equals(c.getIssuer()) || !c.getAudience().contains(CLIENT_ID)
          || !nonce.equals(c.getStringClaim("nonce")) || c.getExpirationTime().getTime() < System.currentTimeMillis()) {
        throw ProblemException.badRequest("demo-rp-id-token", "The ID token did not pass the checks");
      }
      return c;
    } catch (java.text.ParseException | com.nimbusds.jose.JOSEException | RuntimeException e) {
      throw e instanceof ProblemException p ? p : ProblemException.badRequest("demo-rp-id-token", "The ID token cannot be checked");
    }
  }

  private static JsonObject who(JWTClaimsSet id, JsonObject info, String idToken) {
    JsonObject municipality = info.getJsonObject("municipality");
    return new JsonObject().put("sub", id.getSubject()).put("name", info.getString("name")).put("email", info.getString("email"))
        .put("acr", String.valueOf(id.getClaim("acr"))).put("resident", "urn:tsunagu:acr:resident-verified".equals(id.getClaim("acr")))
        .put("municipality", municipality == null ? null : municipality.getString("name")).put("idToken", idToken);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

package jp.tsunagu.platform.oidc;

import static jp.tsunagu.platform.oidc.Rp.oauthError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import jp.tsunagu.api.client.OpenidClientsApi;
import jp.tsunagu.api.model.NewOidcClient;
import jp.tsunagu.api.model.NewOidcClient.GrantTypesEnum;
import jp.tsunagu.api.model.NewOidcClient.TokenEndpointAuthMethodEnum;
import jp.tsunagu.api.model.OidcClient;
import jp.tsunagu.platform.security.Tokens;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input at the authorization and token endpoints: each answered in the OAuth error format with
 * the code the specifications name, by redirect only once the client and redirect URI are known to
 * be good, and without writing anything half-way.
 */
class OidcErrorsIT {
  static TestPlatform node;
  static Fixtures fixtures;
  static Rp confidential;
  static Rp publicClient;
  static Rp rateLimited;
  static final String REDIRECT = "http://127.0.0.1:9/cb";
  static String email;

  @BeforeAll
  static void start() throws Exception {
    node = OidcTestNode.start(Map.of("oidc.clientAuthFailuresPer15Min", "4"));
    fixtures = new Fixtures(node);
    email = fixtures.verifiedCitizen("errors@example.jp").email();
    OidcClient c = OidcTestNode.confidential(node, REDIRECT, null, null);
    confidential = new Rp(node.baseUrl(), c.getClientId(), c.getClientSecret(), REDIRECT);
    OpenidClientsApi api = new OpenidClientsApi(OidcTestNode.admin(node));
    OidcClient p = api.registerOidcClient(Fixtures.SHIMADA, new NewOidcClient().name("子育てアプリ")
        .tokenEndpointAuthMethod(TokenEndpointAuthMethodEnum.NONE).redirectUris(List.of(REDIRECT)).scopes(List.of("openid", "email")));
    publicClient = new Rp(node.baseUrl(), p.getClientId(), null, REDIRECT);
    OidcClient r = OidcTestNode.confidential(node, REDIRECT, null, null);
    rateLimited = new Rp(node.baseUrl(), r.getClientId(), r.getClientSecret(), REDIRECT);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static HttpResponse<String> open(String url) throws Exception {
    return new Browserless(node.baseUrl()).get(url);
  }

  @Test
  void unknownClientAndUnregisteredRedirectUriGetAnErrorPageNeverARedirect() throws Exception {
    HttpResponse<String> unknown = open(confidential.authorizeUrl(confidential.standardQuery(null).replace(confidential.clientId, "nosuchclient1")));
    assertEquals(400, unknown.statusCode());
    assertTrue(unknown.headers().firstValue("Location").isEmpty());
    assertTrue(unknown.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    String evil = confidential.standardQuery(null).replace(Browserless.enc(REDIRECT), Browserless.enc("https://evil.example/cb"));
    HttpResponse<String> bad = open(confidential.authorizeUrl(evil));
    assertEquals(400, bad.statusCode());
    assertTrue(bad.headers().firstValue("Location").isEmpty());
    // a prefix or a variant of a registered URI is not the registered URI
    HttpResponse<String> variant = open(confidential.authorizeUrl(confidential.standardQuery(null)
        .replace(Browserless.enc(REDIRECT), Browserless.enc(REDIRECT + "/x"))));
    assertEquals(400, variant.statusCode());
    HttpResponse<String> missing = open(node.baseUrl() + "/oauth2/authorize?response_type=code&scope=openid");
    assertEquals(400, missing.statusCode());
    HttpResponse<String> twice = open(confidential.authorizeUrl(confidential.standardQuery(null) + "&client_id=" + confidential.clientId));
    assertEquals(400, twice.statusCode());
    assertTrue(twice.headers().firstValue("Location").isEmpty());
  }

  @Test
  void laterErrorsGoBackByRedirectWithStateAndIssuer() throws Exception {
    assertRedirectError(confidential.standardQuery(null).replace("response_type=code", "response_type=token"), "unsupported_response_type");
    assertRedirectError(confidential.standardQuery(null).replace("response_type=code&", ""), "invalid_request");
    assertRedirectError(confidential.standardQuery(null).replace("scope=openid%20email", "scope=openid%20admin"), "invalid_scope");
    assertRedirectError(confidential.standardQuery(null) + "&state=again", "invalid_request");
    assertRedirectError(confidential.standardQuery(null) + "&code_challenge=" + "a".repeat(43) + "&code_challenge_method=plain", "invalid_request");
    assertRedirectError(confidential.standardQuery(null) + "&prompt=none", "login_required");
    assertRedirectError(confidential.standardQuery(null) + "&request=eyJhbGciOiJub25lIn0.e30.", "request_not_supported");
    assertRedirectError(confidential.standardQuery(null) + "&max_age=soon", "invalid_request");
    // public clients must use PKCE
    assertRedirectError(publicClient.standardQuery(null), "invalid_request");
  }

  private static void assertRedirectError(String query, String error) throws Exception {
    Browserless browser = new Browserless(node.baseUrl());
    HttpResponse<String> r = browser.authorize(URI.create(confidential.authorizeUrl(query)));
    URI location = Browserless.location(r);
    assertTrue(location.toString().startsWith(REDIRECT + "?"), location.toString());
    Map<String, String> p = Rp.params(location);
    assertEquals(error, p.get("error"), location.toString());
    assertEquals(node.baseUrl(), p.get("iss"));
    assertTrue(p.containsKey("state"), "state is returned with the error");
  }

  @Test
  void missingOrWrongPkceVerifierIsRefused() throws Exception {
    String verifier = Tokens.urlToken();
    Browserless browser = new Browserless(node.baseUrl());
    String code = publicClient.code(browser, publicClient.standardQuery(Rp.challenge(verifier)), email);
    Map<String, String> base = Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
        "client_id", publicClient.clientId);
    oauthError(publicClient.token(base, false), 400, "invalid_grant");
    // the failed attempt burnt the code: even the right verifier is refused now
    Map<String, String> right = new java.util.HashMap<>(base);
    right.put("code_verifier", verifier);
    oauthError(publicClient.token(right, false), 400, "invalid_grant");

    String code2 = publicClient.code(browser, publicClient.standardQuery(Rp.challenge(verifier)), email);
    Map<String, String> wrong = new java.util.HashMap<>(Map.of("grant_type", "authorization_code", "code", code2,
        "redirect_uri", REDIRECT, "client_id", publicClient.clientId, "code_verifier", Tokens.urlToken()));
    oauthError(publicClient.token(wrong, false), 400, "invalid_grant");

    String code3 = publicClient.code(browser, publicClient.standardQuery(Rp.challenge(verifier)), email);
    Map<String, String> ok = new java.util.HashMap<>(Map.of("grant_type", "authorization_code", "code", code3,
        "redirect_uri", REDIRECT, "client_id", publicClient.clientId, "code_verifier", verifier));
    HttpResponse<String> tokens = publicClient.token(ok, false);
    assertEquals(200, tokens.statusCode(), tokens.body());
    assertEquals("no-store", tokens.headers().firstValue("Cache-Control").orElse(""));
    assertFalse(new JsonObject(tokens.body()).containsKey("refresh_token"), "this public client has no refresh grant");
  }

  @Test
  void aReusedCodeIsRefusedAndRevokesWhatItGave() throws Exception {
    String code = confidential.code(new Browserless(node.baseUrl()), confidential.standardQuery(null), email);
    Map<String, String> form = Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT);
    HttpResponse<String> first = confidential.token(form, true);
    assertEquals(200, first.statusCode(), first.body());
    JsonObject tokens = new JsonObject(first.body());
    assertEquals(200, confidential.userinfo(tokens.getString("access_token")).statusCode());
    oauthError(confidential.token(form, true), 400, "invalid_grant");
    assertEquals(401, confidential.userinfo(tokens.getString("access_token")).statusCode());
    assertFalse(confidential.introspect(tokens.getString("refresh_token")).getBoolean("active"));
    oauthError(confidential.token(Map.of("grant_type", "refresh_token", "refresh_token", tokens.getString("refresh_token")), true),
        400, "invalid_grant");
  }

  @Test
  void aCodeExchangedTwiceAtOnceGivesTokensOnceAndTheLosingExchangeRevokesThem() throws Exception {
    for (int attempt = 0; attempt < 5; attempt++) {
      String code = confidential.code(new Browserless(node.baseUrl()), confidential.standardQuery(null), email);
      Map<String, String> form = Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT);
      java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
      java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> both = new java.util.ArrayList<>();
      for (int i = 0; i < 2; i++) {
        both.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            together.await();
            return confidential.token(form, true);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      java.util.List<HttpResponse<String>> answers = both.stream().map(java.util.concurrent.CompletableFuture::join)
          .sorted(java.util.Comparator.comparingInt(HttpResponse::statusCode)).toList();
      assertEquals(200, answers.get(0).statusCode(), answers.get(0).body());
      oauthError(answers.get(1), 400, "invalid_grant");
      // whether the second exchange came during the first or after it, it counts as a replay
      assertEquals(401, confidential.userinfo(new JsonObject(answers.get(0).body()).getString("access_token")).statusCode());
    }
  }

  @Test
  void anExpiredCodeOrOneForAnotherRedirectIsRefused() throws Exception {
    String code = confidential.code(new Browserless(node.baseUrl()), confidential.standardQuery(null), email);
    Fixtures.await(node.platform().services().pool().preparedQuery(
        "UPDATE oidc_flow SET code_expires_at = now() - interval '1 second' WHERE code_hash = $1")
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(Tokens.sha256(code)))));
    oauthError(confidential.token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT), true),
        400, "invalid_grant");
    String code2 = confidential.code(new Browserless(node.baseUrl()), confidential.standardQuery(null), email);
    oauthError(confidential.token(Map.of("grant_type", "authorization_code", "code", code2, "redirect_uri", REDIRECT + "/x"), true),
        400, "invalid_grant");
    oauthError(confidential.token(Map.of("grant_type", "authorization_code", "code", "not-a-code", "redirect_uri", REDIRECT), true),
        400, "invalid_grant");
  }

  @Test
  void wrongClientAuthenticationIs401InvalidClient() throws Exception {
    Rp wrong = new Rp(node.baseUrl(), confidential.clientId, "not-the-secret", REDIRECT);
    HttpResponse<String> basic = wrong.token(Map.of("grant_type", "refresh_token", "refresh_token", "x"), true);
    oauthError(basic, 401, "invalid_client");
    assertTrue(basic.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"), "Basic challenge");
    // the client is registered for client_secret_basic: sending the right secret in the body is refused too
    oauthError(confidential.token(Map.of("grant_type", "refresh_token", "refresh_token", "x", "client_id", confidential.clientId,
        "client_secret", confidential.secret), false), 401, "invalid_client");
    oauthError(confidential.token(Map.of("grant_type", "refresh_token", "refresh_token", "x"), false), 401, "invalid_client");
    // two methods at once
    oauthError(confidential.token(Map.of("grant_type", "refresh_token", "refresh_token", "x", "client_secret", "y"), true),
        400, "invalid_request");
  }

  @Test
  void repeatedClientAuthenticationFailuresAreLimited() throws Exception {
    Rp wrong = new Rp(node.baseUrl(), rateLimited.clientId, "not-the-secret", REDIRECT);
    for (int i = 0; i < 4; i++) {
      oauthError(wrong.token(Map.of("grant_type", "client_credentials"), true), 401, "invalid_client");
    }
    HttpResponse<String> limited = rateLimited.token(Map.of("grant_type", "refresh_token", "refresh_token", "x"), true);
    oauthError(limited, 429, "invalid_client");
    assertTrue(Long.parseLong(limited.headers().firstValue("Retry-After").orElse("0")) > 0, "Retry-After in whole seconds");
  }

  @Test
  void unsupportedMissingAndDuplicatedParametersAtTheTokenEndpoint() throws Exception {
    oauthError(confidential.token(Map.of("grant_type", "password", "username", "a", "password", "b"), true), 400, "unsupported_grant_type");
    oauthError(confidential.token(Map.of("grant_type", "implicit"), true), 400, "unsupported_grant_type");
    oauthError(confidential.token(Map.of("code", "x"), true), 400, "invalid_request");
    oauthError(confidential.token(Map.of("grant_type", "authorization_code", "redirect_uri", REDIRECT), true), 400, "invalid_request");
    oauthError(confidential.token(Map.of("grant_type", "client_credentials"), true), 400, "unauthorized_client");
    oauthError(confidential.post("/oauth2/token", "application/x-www-form-urlencoded",
        "grant_type=refresh_token&refresh_token=a&refresh_token=b", Rp.basic(confidential.clientId, confidential.secret)), 400,
        "invalid_request");
    oauthError(confidential.post("/oauth2/token", "application/json", "{\"grant_type\":\"refresh_token\"}",
        Rp.basic(confidential.clientId, confidential.secret)), 400, "invalid_request");
  }

  @Test
  void anotherMethodOnAnEndpointIs405WithTheMethodsItAnswers() throws Exception {
    for (String path : List.of("/oauth2/token", "/oauth2/par", "/oauth2/revoke", "/oauth2/introspect")) {
      HttpResponse<String> r = Rp.HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      oauthError(r, 405, "invalid_request");
      assertEquals("POST", r.headers().firstValue("Allow").orElse(""), path);
    }
    HttpResponse<String> delete = Rp.HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(node.baseUrl() + "/oauth2/userinfo"))
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    oauthError(delete, 405, "invalid_request");
    assertEquals("GET, HEAD, POST", delete.headers().firstValue("Allow").orElse(""));
    HttpResponse<String> post = Rp.HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(node.baseUrl() + "/oauth2/jwks"))
        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    oauthError(post, 405, "invalid_request");
    // what is not an endpoint stays 404
    oauthError(Rp.HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(node.baseUrl() + "/oauth2/nothing")).GET().build(),
        HttpResponse.BodyHandlers.ofString()), 404, "invalid_request");
  }

  @Test
  void browserBasedClientsMayCallTheTokenEndpointCrossOrigin() throws Exception {
    HttpResponse<String> preflight = Rp.HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(node.baseUrl() + "/oauth2/token"))
        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()).header("Origin", "https://app.example")
        .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(204, preflight.statusCode());
    assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    // a cross-site POST is not refused by the Origin check (the client is authenticated, not the cookies)
    HttpResponse<String> r = Rp.HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(node.baseUrl() + "/oauth2/token"))
        .header("Origin", "https://app.example").header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=x&client_id=" + publicClient.clientId))
        .build(), HttpResponse.BodyHandlers.ofString());
    oauthError(r, 400, "unauthorized_client"); // this public client has no refresh grant
    assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    // the preflight admits the DPoP header, and a script may read userinfo's challenge
    assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("DPoP"));
    HttpResponse<String> info = Rp.HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(node.baseUrl() + "/oauth2/userinfo"))
        .header("Origin", "https://app.example").header("Authorization", "Bearer not-a-token").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, info.statusCode());
    assertEquals("WWW-Authenticate", info.headers().firstValue("Access-Control-Expose-Headers").orElse(""));
  }

  @Test
  void logoutPostedFromTheServicesSiteContinuesAsAGetAndUnregisteredTargetsAreRefused() throws Exception {
    HttpResponse<String> posted = Rp.HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(node.baseUrl() + "/oauth2/logout"))
        .header("Origin", "https://service.example").header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("client_id=" + confidential.clientId + "&state=abc")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(303, posted.statusCode());
    assertTrue(posted.headers().firstValue("Location").orElse("").startsWith("/oauth2/logout?"), posted.headers().toString());
    HttpResponse<String> unregistered = open(node.baseUrl() + "/oauth2/logout?client_id=" + confidential.clientId
        + "&post_logout_redirect_uri=" + Browserless.enc("https://evil.example/"));
    assertEquals(400, unregistered.statusCode());
    assertTrue(unregistered.headers().firstValue("Location").isEmpty());
    HttpResponse<String> forged = open(node.baseUrl() + "/oauth2/logout?id_token_hint=eyJhbGciOiJub25lIn0.e30.");
    assertEquals(400, forged.statusCode());
  }
}

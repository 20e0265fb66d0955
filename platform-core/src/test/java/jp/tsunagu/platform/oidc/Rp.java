package jp.tsunagu.platform.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import jp.tsunagu.platform.testing.Fixtures;

/** A hand-written relying party for the error cases a library would never send. */
final class Rp {
  static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  final String base;
  final String clientId;
  final String secret;
  final String redirect;

  Rp(String base, String clientId, String secret, String redirect) {
    this.base = base;
    this.clientId = clientId;
    this.secret = secret;
    this.redirect = redirect;
  }

  /** An authorization URL from raw query text (so a test can repeat or leave out anything). */
  String authorizeUrl(String query) {
    return base + "/oauth2/authorize?" + query;
  }

  String standardQuery(String challenge) {
    return "response_type=code&client_id=" + Browserless.enc(clientId) + "&redirect_uri=" + Browserless.enc(redirect)
        + "&scope=openid%20email&state=s1&nonce=n1" + (challenge == null ? "" : "&code_challenge=" + challenge + "&code_challenge_method=S256");
  }

  /** Signs the citizen in through the forms and returns the code. */
  String code(Browserless browser, String query, String email) throws Exception {
    HttpResponse<String> page = browser.authorize(URI.create(authorizeUrl(query)));
    if (page.statusCode() == 200 && page.body().contains("/sign-in\"")) {
      page = browser.signIn(page, email, Fixtures.PASSWORD);
    }
    if (page.statusCode() == 200) {
      page = browser.consent(page, true, "email", "profile", "municipality", "address");
    }
    return params(Browserless.location(page)).get("code");
  }

  /** Signs the citizen in through the forms and exchanges the code (client_secret_basic); the token response. */
  JsonObject tokens(String query, String email) throws Exception {
    String code = code(new Browserless(base), query, email);
    HttpResponse<String> r = token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", redirect), true);
    org.junit.jupiter.api.Assertions.assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  HttpResponse<String> token(Map<String, String> form, boolean basic) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
        .header("Content-Type", "application/x-www-form-urlencoded");
    Map<String, String> body = new LinkedHashMap<>(form);
    if (basic) {
      b.header("Authorization", basic(clientId, secret));
    }
    return HTTP.send(b.POST(HttpRequest.BodyPublishers.ofString(Browserless.encode(body))).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String contentType, String body, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> userinfo(String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/userinfo")).header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonObject introspect(String token) throws Exception {
    HttpResponse<String> r = post("/oauth2/introspect", "application/x-www-form-urlencoded", "token=" + Browserless.enc(token),
        basic(clientId, secret));
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  static String basic(String id, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((Browserless.enc(id) + ":" + Browserless.enc(secret)).getBytes(StandardCharsets.UTF_8));
  }

  static String challenge(String verifier) throws Exception {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
        .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
  }

  static Map<String, String> params(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    if (uri.getRawQuery() == null) {
      return out;
    }
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Asserts an OAuth error JSON answer. */
  static JsonObject oauthError(HttpResponse<String> r, int status, String error) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    JsonObject body = new JsonObject(r.body());
    assertEquals(error, body.getString("error"), r.body());
    return body;
  }
}

package jp.tsunagu.platform.content;

import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.api.client.OpenidClientsApi;
import jp.tsunagu.api.client.StaffApi;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.api.model.NewOidcClient;
import jp.tsunagu.api.model.OidcClient;
import jp.tsunagu.api.model.SignInRequest;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.Poll;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A CMS pushes and withdraws pages with an access token from a real client-credentials grant at
 * this platform's token endpoint: the scope content:write of a client registered by the same
 * municipality is needed; every other token is refused with a problem and writes nothing.
 */
class CmsClientIT {
  static final String SHIMADA = Fixtures.SHIMADA;
  static final String ICHIHARA = Fixtures.ICHIHARA;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static TestPlatform node;
  static OidcClient cms;
  static OidcClient readOnly;
  static OidcClient otherCity;

  @BeforeAll
  static void start() throws Exception {
    int port = TestPlatform.freePort();
    node = TestPlatform.start(Map.of("http.port", String.valueOf(port), "http.publicUrl", "http://127.0.0.1:" + port));
    Fixtures fixtures = new Fixtures(node);
    fixtures.tenantWithStaff(SHIMADA, "島田市", "admin@shimada.example", Role.TENANT_ADMIN);
    fixtures.tenantWithStaff(ICHIHARA, "市原市", "admin@ichihara.example", Role.TENANT_ADMIN);
    OpenidClientsApi shimada = new OpenidClientsApi(admin("admin@shimada.example"));
    cms = shimada.registerOidcClient(SHIMADA, service("島田市 CMS", "content:write"));
    readOnly = shimada.registerOidcClient(SHIMADA, service("島田市 回覧板連携", "circulars.read"));
    otherCity = new OpenidClientsApi(admin("admin@ichihara.example")).registerOidcClient(ICHIHARA, service("市原市 CMS", "content:write"));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static ApiClient admin(String email) throws Exception {
    ApiClient client = node.client();
    new StaffApi(client).staffSignIn(new SignInRequest().email(email).password(Fixtures.PASSWORD));
    return client;
  }

  static NewOidcClient service(String name, String scope) {
    // The registration check wants the host of the service (a sector) even without redirects: one redirect URI names it.
    return new NewOidcClient().name(name).grantTypes(List.of(NewOidcClient.GrantTypesEnum.CLIENT_CREDENTIALS))
        .redirectUris(List.of("https://cms.example.jp/callback")).scopes(List.of(scope));
  }

  /** A client-credentials grant at the token endpoint (client_secret_basic). */
  static String token(OidcClient client) throws Exception {
    String basic = "Basic " + Base64.getEncoder().encodeToString((enc(client.getClientId()) + ":" + enc(client.getClientSecret()))
        .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/oauth2/token"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", basic)
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("access_token");
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static HttpResponse<String> call(String method, String path, String token, JsonObject body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject page(String url, String title) {
    return new JsonObject().put("url", url).put("title", title).put("summary", "")
        .put("bodyHtml", "<p>" + title + "について、市役所からのお知らせです。</p>");
  }

  static void assertProblem(HttpResponse<String> r, int status, String type) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
    assertEquals("/problems/" + type, new JsonObject(r.body()).getString("type"), r.body());
  }

  static long pages(String tenant) {
    return await(node.platform().services().pool().preparedQuery("SELECT count(*) FROM content_page WHERE tenant_code = $1")
        .execute(Tuple.of(tenant))).iterator().next().getLong(0);
  }

  @Test
  void aCmsWithContentWriteForItsMunicipalityPushesAndWithdrawsPages() throws Exception {
    String token = token(cms);
    String url = "https://www.city.shimada.shizuoka.jp/cms/kosodate-hiroba.html";
    HttpResponse<String> pushed = call("PUT", "/api/v1/tenants/" + SHIMADA + "/pages", token, page(url, "子育てひろばの開館日"));
    assertEquals(201, pushed.statusCode(), pushed.body());
    assertEquals("published", new JsonObject(pushed.body()).getString("outcome"));
    assertEquals(200, call("PUT", "/api/v1/tenants/" + SHIMADA + "/pages", token, page(url, "子育てひろばの開館日")).statusCode(),
        "the same push again is idempotent");
    ContentApi anonymous = new ContentApi(node.client());
    Poll.until(Duration.ofSeconds(5), "the pushed page is searchable", () -> ContentTesting.finds(anonymous, SHIMADA, "子育てひろば", url));

    Row audit = await(node.platform().services().pool().preparedQuery(
            "SELECT actor_id, detail FROM audit_log WHERE tenant_code = $1 AND action = 'page.published' AND detail->>'url' = $2")
        .execute(Tuple.of(SHIMADA, url))).iterator().next();
    assertEquals(null, audit.getValue("actor_id"));
    assertEquals("client:" + cms.getClientId(), ((JsonObject) audit.getValue("detail")).getString("by"));
    assertEquals("cms", await(node.platform().services().pool().preparedQuery(
        "SELECT source FROM content_page WHERE tenant_code = $1 AND url = $2").execute(Tuple.of(SHIMADA, url))).iterator().next().getString(0));

    HttpResponse<String> listed = call("GET", "/api/v1/tenants/" + SHIMADA + "/pages", token, null);
    assertEquals(200, listed.statusCode(), listed.body());
    HttpResponse<String> withdrawn = call("POST", "/api/v1/tenants/" + SHIMADA + "/pages/withdrawals", token, new JsonObject().put("url", url));
    assertEquals(200, withdrawn.statusCode(), withdrawn.body());
    assertEquals("withdrawn", new JsonObject(withdrawn.body()).getString("outcome"));
    Poll.until(Duration.ofSeconds(5), "the withdrawn page leaves search", () -> !ContentTesting.finds(anonymous, SHIMADA, "子育てひろば", url));

    // The token writes pages only: the municipality's taxonomy stays with staff.
    assertProblem(call("PUT", "/api/v1/tenants/" + SHIMADA + "/taxonomy/category/kosodate", token,
        new JsonObject().put("nameJa", "子育て")), 401, "unauthenticated");
  }

  @Test
  void tokensOfAnotherMunicipalityWithoutTheScopeExpiredRevokedOrForgedAreRefusedAndWriteNothing() throws Exception {
    String path = "/api/v1/tenants/" + SHIMADA + "/pages";
    JsonObject body = page("https://www.city.shimada.shizuoka.jp/cms/refused.html", "書かれてはいけないページ");
    long before = pages(SHIMADA);
    long beforeIchihara = pages(ICHIHARA);

    assertProblem(call("PUT", path, token(otherCity), body), 403, "forbidden");
    assertProblem(call("PUT", "/api/v1/tenants/" + ICHIHARA + "/pages", token(cms),
        page("https://www.city.ichihara.chiba.jp/cms/x.html", "他市のページ")), 403, "forbidden");

    HttpResponse<String> noScope = call("PUT", path, token(readOnly), body);
    assertProblem(noScope, 403, "insufficient-scope");
    assertEquals("Bearer realm=\"tsunagu\", error=\"insufficient_scope\", scope=\"content:write\"",
        noScope.headers().firstValue("WWW-Authenticate").orElse(""));

    JWTClaimsSet good = SignedJWT.parse(token(cms)).getJWTClaimsSet();
    var keys = node.platform().services().oidc().keys();
    long now = System.currentTimeMillis();
    String expired = keys.sign(JWSAlgorithm.RS256, new JOSEObjectType("at+jwt"), new JWTClaimsSet.Builder(good)
        .issueTime(new Date(now - 3_600_000)).expirationTime(new Date(now - 60_000)).build());
    String citizen = keys.sign(JWSAlgorithm.RS256, new JOSEObjectType("at+jwt"), new JWTClaimsSet.Builder(good)
        .subject("a-citizen-pairwise-subject").build());
    String[] parts = token(cms).split("\\.");
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        new JWTClaimsSet.Builder(good).claim("scope", "content:write").subject("x").build().toString().getBytes(StandardCharsets.UTF_8))
        + "." + parts[2];
    for (String bad : List.of(expired, tampered, "not-a-token")) {
      HttpResponse<String> r = call("PUT", path, bad, body);
      assertProblem(r, 401, "invalid-token");
      assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer realm=\"tsunagu\", error=\"invalid_token\""),
          r.headers().toString());
    }
    assertProblem(call("PUT", path, null, body), 401, "unauthenticated");
    assertProblem(call("PUT", path, citizen, body), 403, "client-token-required");

    String revoked = token(cms);
    String basic = "Basic " + Base64.getEncoder().encodeToString((enc(cms.getClientId()) + ":" + enc(cms.getClientSecret()))
        .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> revoke = HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/oauth2/revoke"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", basic)
        .POST(HttpRequest.BodyPublishers.ofString("token=" + enc(revoked))).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, revoke.statusCode(), revoke.body());
    assertProblem(call("PUT", path, revoked, body), 401, "invalid-token");

    OidcClient gone = new OpenidClientsApi(admin("admin@shimada.example")).registerOidcClient(SHIMADA, service("廃止する CMS", "content:write"));
    String orphan = token(gone);
    new OpenidClientsApi(admin("admin@shimada.example")).deleteOidcClient(SHIMADA, gone.getClientId());
    assertProblem(call("PUT", path, orphan, body), 401, "invalid-token");

    assertEquals(before, pages(SHIMADA), "nothing was written");
    assertEquals(beforeIchihara, pages(ICHIHARA));
  }
}

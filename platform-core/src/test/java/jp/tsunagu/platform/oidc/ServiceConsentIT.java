package jp.tsunagu.platform.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.JsonApi;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenID provider and the consent ledger together: the consent page's per-item and
 * per-purpose choices become a ledger record; tokens, userinfo and the service API release only
 * what the gate permits at that moment, each release in the citizen's access log; withdrawal
 * revokes the service's tokens and sends it a Security Event Token; a new notice version stops
 * data until the citizen agrees again. The service's Security Event Token receiver is a local HTTP
 * server that speaks RFC 8935 push delivery (answers 202).
 */
class ServiceConsentIT {
  static final String REDIRECT = "http://127.0.0.1:9/library/callback";
  static TestPlatform node;
  static Fixtures fixtures;
  static Vertx receiverVertx;
  static HttpServer receiver;
  static final LinkedBlockingQueue<String> EVENTS = new LinkedBlockingQueue<>();
  static String clientId;
  static String secret;
  static Rp rp;

  @BeforeAll
  static void start() throws Exception {
    node = OidcTestNode.start(Map.of());
    fixtures = new Fixtures(node);
    receiverVertx = Vertx.vertx();
    receiver = receiverVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      EVENTS.add(body.toString(StandardCharsets.US_ASCII));
      req.response().setStatusCode(202).end();
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    JsonApi admin = JsonApi.staff(node, OidcTestNode.ADMIN);
    HttpResponse<String> r = admin.send("POST", "/api/v1/tenants/222097/oidc-clients", registration());
    assertEquals(201, r.statusCode(), r.body());
    JsonObject client = new JsonObject(r.body());
    clientId = client.getString("clientId");
    secret = client.getString("clientSecret");
    rp = new Rp(node.baseUrl(), clientId, secret, REDIRECT);
  }

  static JsonObject registration() {
    return new JsonObject().put("name", "島田市立図書館").put("redirectUris", new JsonArray().add(REDIRECT))
        .put("scopes", new JsonArray().add("openid").add("profile").add("email").add("municipality").add("citizen_data"))
        .put("grantTypes", new JsonArray().add("authorization_code").add("refresh_token").add("client_credentials"))
        .put("notice", text("図書館は、貸出と返却のお知らせのために、選んだ項目を受け取ります。",
            "The library receives the items you choose, for lending and return reminders."))
        .put("dataItems", new JsonArray().add(new JsonObject().put("id", "kana").put("label", text("氏名のふりがな", "Name in kana"))))
        .put("purposes", new JsonArray()
            .add(new JsonObject().put("id", "lending").put("label", text("本の貸出", "Lending books")))
            .add(new JsonObject().put("id", "reminders").put("label", text("返却日のお知らせ", "Return reminders"))))
        .put("consentEventsUri", "http://127.0.0.1:" + receiver.actualPort() + "/set");
  }

  static JsonObject text(String ja, String en) {
    return new JsonObject().put("ja", ja).put("en", en);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    receiverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static String query(String scope, String prompt) {
    return "response_type=code&client_id=" + Browserless.enc(clientId) + "&redirect_uri=" + Browserless.enc(REDIRECT)
        + "&scope=" + Browserless.enc(scope) + "&state=s1&nonce=n1" + (prompt == null ? "" : "&prompt=" + prompt);
  }

  static JsonObject exchange(String code) throws Exception {
    HttpResponse<String> r = rp.token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT), true);
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  static String serviceToken() throws Exception {
    HttpResponse<String> r = rp.token(Map.of("grant_type", "client_credentials", "scope", "citizen_data"), true);
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("access_token");
  }

  static HttpResponse<String> readData(String bearer, JsonObject request) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/service/citizen-data"))
        .header("Content-Type", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return Rp.HTTP.send(b.POST(HttpRequest.BodyPublishers.ofString(request.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject dataRequest(String subject, String purpose, String... items) {
    return new JsonObject().put("subject", subject).put("purpose", purpose).put("items", new JsonArray(List.of(items)));
  }

  static String subjectOf(JsonObject tokens) throws Exception {
    return SignedJWT.parse(tokens.getString("id_token")).getJWTClaimsSet().getSubject();
  }

  @Test
  void choicesOnTheConsentPageAreTheLedgerRecordAndGateEveryRelease() throws Exception {
    fixtures.verifiedCitizen("reader@example.jp");
    Browserless browser = new Browserless(node.baseUrl());
    HttpResponse<String> page = browser.signIn(browser.authorize(URI.create(rp.authorizeUrl(query("openid profile email", null)))),
        "reader@example.jp", Fixtures.PASSWORD);
    assertEquals(200, page.statusCode(), page.body());
    String body = page.body();
    assertTrue(body.contains("図書館は、貸出と返却のお知らせのために"), "the service's notice is shown");
    assertTrue(body.contains("data-item=\"kana\"") && body.contains("data-purpose=\"reminders\""), body);
    assertTrue(body.contains("name=\"item\" value=\"email\" id=\"item-email\">"), "optional items start unticked");

    // the name is shared, the e-mail address and the kana are left out; lending only
    JsonObject tokens = exchange(Rp.params(Browserless.location(browser.consent(page, true, "profile"))).get("code"));
    assertEquals(Set.of("openid", "profile"), Set.of(tokens.getString("scope").split(" ")), "the scope is what was agreed");
    HttpResponse<String> info = rp.userinfo(tokens.getString("access_token"));
    assertEquals(200, info.statusCode(), info.body());
    JsonObject claims = new JsonObject(info.body());
    assertEquals("テスト 市民", claims.getString("name"));
    assertFalse(claims.containsKey("email"), "the e-mail address was left out");

    JsonApi citizen = JsonApi.citizen(node, "reader@example.jp");
    JsonObject record = citizen.json("GET", "/api/v1/me/consents", null).getJsonArray("items").getJsonObject(0);
    assertEquals("client:" + clientId, record.getString("serviceId"));
    assertEquals("given", record.getString("state"));
    assertEquals(new JsonArray().add("openid").add("profile"), record.getJsonArray("items"));
    assertEquals(new JsonArray().add("lending"), record.getJsonArray("purposes"));
    assertEquals("citizen", record.getString("givenBy"));
    JsonObject log = citizen.json("GET", "/api/v1/me/access-log", null);
    assertTrue(log.getBoolean("intact"));
    JsonObject read = log.getJsonArray("items").getJsonObject(log.getJsonArray("items").size() - 1);
    assertEquals("client:" + clientId, read.getString("serviceId"));
    assertEquals("read", read.getString("kind"));
    assertEquals(new JsonArray().add("openid").add("profile"), read.getJsonArray("items"));
    assertEquals("lending", read.getString("purpose"));

    // the consent in force answers the next sign-in without asking again
    URI again = Browserless.location(browser.authorize(URI.create(rp.authorizeUrl(query("openid profile email", null)))));
    assertNotNull(Rp.params(again).get("code"), again.toString());

    // the service API releases what the consent permits for the purpose, and nothing else
    String subject = subjectOf(tokens);
    String service = serviceToken();
    HttpResponse<String> data = readData(service, dataRequest(subject, "lending", "profile", "email", "kana"));
    assertEquals(200, data.statusCode(), data.body());
    JsonObject released = new JsonObject(data.body());
    assertEquals(new JsonArray().add("profile"), released.getJsonArray("released"));
    assertEquals("テスト 市民", released.getJsonObject("values").getJsonObject("profile").getString("name"));
    assertFalse(released.getJsonObject("values").containsKey("email"));
    assertEquals(subject, released.getString("subject"));
    JsonArray entries = citizen.json("GET", "/api/v1/me/access-log", null).getJsonArray("items");
    assertEquals(released.getLong("accessLogSeq"), entries.getJsonObject(entries.size() - 1).getLong("seq"), "the read is in the log");

    problem(readData(service, dataRequest(subject, "reminders", "profile")), 403, "consent-denied");
    problem(readData(null, dataRequest(subject, "lending", "profile")), 401, null);
    problem(readData("not-a-token", dataRequest(subject, "lending", "profile")), 401, null);
    problem(readData(tokens.getString("access_token"), dataRequest(subject, "lending", "profile")), 403, null);
    problem(readData(service, dataRequest("someone-else", "lending", "profile")), 404, null);
    problem(readData(service, new JsonObject().put("subject", subject).put("purpose", "lending")), 400, null);
    problem(readData(service, dataRequest(subject, "Lending!", "profile")), 400, null);

    // withdrawal: on return, tokens, userinfo and the service API stop; the service is told
    String consentId = record.getString("id");
    assertEquals(204, citizen.send("POST", "/api/v1/me/consents/" + consentId + "/withdrawal", null).statusCode());
    Rp.oauthError(rp.userinfo(tokens.getString("access_token")), 401, "invalid_token");
    Rp.oauthError(rp.token(Map.of("grant_type", "refresh_token", "refresh_token", tokens.getString("refresh_token")), true), 400,
        "invalid_grant");
    assertFalse(rp.introspect(tokens.getString("access_token")).getBoolean("active"));
    problem(readData(service, dataRequest(subject, "lending", "profile")), 403, "consent-denied");
    String set = EVENTS.poll(30, TimeUnit.SECONDS);
    assertNotNull(set, "a Security Event Token reached the service");
    var setClaims = SignedJWT.parse(set).getJWTClaimsSet();
    assertEquals(List.of(clientId), setClaims.getAudience());
    assertTrue(set.length() > 0 && setClaims.toString().contains(subject), "the event names the citizen by the service's subject");
    // and a silent sign-in cannot bring it back
    URI silent = Browserless.location(browser.authorize(URI.create(rp.authorizeUrl(query("openid profile", "none")))));
    assertEquals("consent_required", Rp.params(silent).get("error"));
  }

  @Test
  void aNewNoticeVersionStopsDataUntilTheCitizenAgreesAgain() throws Exception {
    fixtures.verifiedCitizen("renewer@example.jp");
    Browserless browser = new Browserless(node.baseUrl());
    HttpResponse<String> page = browser.signIn(browser.authorize(URI.create(rp.authorizeUrl(query("openid profile", null)))),
        "renewer@example.jp", Fixtures.PASSWORD);
    JsonObject tokens = exchange(Rp.params(Browserless.location(browser.consent(page, true, "profile"))).get("code"));
    assertEquals(200, rp.userinfo(tokens.getString("access_token")).statusCode());

    JsonApi admin = JsonApi.staff(node, OidcTestNode.ADMIN);
    String path = "/api/v1/tenants/222097/oidc-clients/" + clientId + "/notice";
    JsonObject before = admin.json("GET", path, null);
    int version = before.getInteger("noticeVersion");
    JsonObject next = new JsonObject().put("noticeVersion", version + 1)
        .put("notice", text("図書館は、貸出のために、選んだ項目を受け取ります（改定）。", "The library receives the items you choose, for lending (revised)."))
        .put("purposes", new JsonArray().add(new JsonObject().put("id", "lending").put("label", text("本の貸出", "Lending books"))));
    HttpResponse<String> published = admin.send("PUT", path, next);
    assertEquals(200, published.statusCode(), published.body());
    assertEquals(version + 1, new JsonObject(published.body()).getInteger("noticeVersion"));

    Rp.oauthError(rp.userinfo(tokens.getString("access_token")), 401, "invalid_token");
    Rp.oauthError(rp.token(Map.of("grant_type", "refresh_token", "refresh_token", tokens.getString("refresh_token")), true), 400,
        "invalid_grant");
    HttpResponse<String> asked = browser.authorize(URI.create(rp.authorizeUrl(query("openid profile", null))));
    assertEquals(200, asked.statusCode(), "the citizen is asked again");
    assertTrue(asked.body().contains("data-version=\"" + (version + 1) + "\""), asked.body());
    assertTrue(asked.body().contains("（改定）"));
    JsonObject renewed = exchange(Rp.params(Browserless.location(browser.consent(asked, true, "profile"))).get("code"));
    assertEquals(200, rp.userinfo(renewed.getString("access_token")).statusCode());

    // bad notices change nothing
    problem(admin.send("PUT", path, next), 409, null);
    problem(admin.send("PUT", path, new JsonObject().put("dataItems", new JsonArray().add(new JsonObject().put("id", "email")
        .put("label", text("メール", "Mail"))))), 400, null);
    problem(admin.send("PUT", path, new JsonObject().put("purposes", new JsonArray().add(new JsonObject().put("id", "Bad Id")
        .put("label", text("x", "x"))))), 400, null);
    problem(admin.send("PUT", path, new JsonObject().put("consentEventsUri", "http://library.example/set")), 400, null);
    assertEquals(version + 1, admin.json("GET", path, null).getInteger("noticeVersion"));
    problem(admin.send("GET", "/api/v1/tenants/222097/oidc-clients/cunknown0000/notice", null), 404, null);
  }

  @Test
  void aResidentStartsLinkingFromMyDataAndTheServiceReadsTheirKana() throws Exception {
    fixtures.residentCitizen("linker@example.jp", Fixtures.SHIMADA, "焼津", "太郎", "ヤイヅ", "タロウ");
    JsonApi admin = JsonApi.staff(node, OidcTestNode.ADMIN);
    String start = "http://127.0.0.1:9/school/start";
    String redirect = "http://127.0.0.1:9/school/callback";
    HttpResponse<String> r = admin.send("POST", "/api/v1/tenants/222097/oidc-clients", new JsonObject().put("name", "学校連絡サービス")
        .put("redirectUris", new JsonArray().add(redirect)).put("initiateLoginUri", start)
        .put("scopes", new JsonArray().add("openid").add("citizen_data"))
        .put("grantTypes", new JsonArray().add("authorization_code").add("client_credentials"))
        .put("dataItems", new JsonArray().add(new JsonObject().put("id", "kana").put("required", true)
            .put("label", text("氏名のふりがな", "Name in kana")))));
    assertEquals(201, r.statusCode(), r.body());
    JsonObject school = new JsonObject(r.body());
    assertEquals(start, school.getString("initiateLoginUri"));
    Rp schoolRp = new Rp(node.baseUrl(), school.getString("clientId"), school.getString("clientSecret"), redirect);

    Browserless browser = new Browserless(node.baseUrl());
    HttpResponse<String> signInPage = browser.get("/sign-in");
    browser.follow(browser.post("/sign-in", Map.of("csrf", Browserless.csrf(signInPage), "email", "linker@example.jp",
        "password", Fixtures.PASSWORD, "next", "/my-data")));
    String myData = browser.get("/my-data").body();
    String link = start + "?iss=" + Browserless.enc(node.baseUrl());
    assertTrue(myData.contains("data-client=\"" + school.getString("clientId") + "\"") && myData.contains(link.replace("&", "&amp;")),
        myData);

    // the service, sent there, starts an ordinary sign-in; the citizen is signed in already and only consents
    HttpResponse<String> consent = browser.authorize(URI.create(schoolRp.authorizeUrl("response_type=code&client_id="
        + Browserless.enc(schoolRp.clientId) + "&redirect_uri=" + Browserless.enc(redirect) + "&scope=openid&state=s2&nonce=n2")));
    assertTrue(consent.body().contains("data-item=\"kana\""), consent.body());
    String code = Rp.params(Browserless.location(browser.consent(consent, true))).get("code");
    HttpResponse<String> t = schoolRp.token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", redirect), true);
    assertEquals(200, t.statusCode(), t.body());
    String subject = subjectOf(new JsonObject(t.body()));
    HttpResponse<String> cc = schoolRp.token(Map.of("grant_type", "client_credentials", "scope", "citizen_data"), true);
    HttpResponse<String> data = readData(new JsonObject(cc.body()).getString("access_token"), dataRequest(subject, "sign_in", "kana"));
    assertEquals(200, data.statusCode(), data.body());
    assertEquals("ヤイヅ タロウ", new JsonObject(data.body()).getJsonObject("values").getString("kana"));
    assertFalse(browser.get("/my-data").body().contains("data-client=\"" + school.getString("clientId") + "\""),
        "a linked service is no longer offered for linking");
  }

  @Test
  void anAppGivesAndRefusesConsentThroughTheApiAndBadRequestsRecordNothing() throws Exception {
    fixtures.verifiedCitizen("app-user@example.jp");
    JsonApi citizen = JsonApi.citizen(node, "app-user@example.jp");
    String service = "client:" + clientId;
    JsonObject notice = new JsonObject(Rp.HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUrl()
        + "/api/v1/tenants/222097/service-notices/" + service)).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    int version = notice.getInteger("noticeVersion");
    assertEquals("lending", notice.getJsonArray("purposes").getJsonObject(0).getString("id"));
    JsonObject give = new JsonObject().put("tenantCode", "222097").put("serviceId", service).put("noticeVersion", version)
        .put("decision", "give").put("items", new JsonArray().add("openid").add("email")).put("purposes", new JsonArray().add("lending"));

    problem(citizen.send("POST", "/api/v1/me/consents", give.copy().put("items", new JsonArray().add("openid").add("blood_type"))),
        422, "undeclared-item");
    problem(citizen.send("POST", "/api/v1/me/consents", give.copy().put("purposes", new JsonArray().add("lending").add("marketing"))),
        422, "undeclared-purpose");
    problem(citizen.send("POST", "/api/v1/me/consents", give.copy().put("items", new JsonArray().add("email"))), 422, "required-item-missing");
    problem(citizen.send("POST", "/api/v1/me/consents", give.copy().put("purposes", new JsonArray().add("reminders"))), 422, null);
    problem(citizen.send("POST", "/api/v1/me/consents", give.copy().put("noticeVersion", version + 5)), 409, "stale-notice-version");
    problem(citizen.send("POST", "/api/v1/me/consents", give.copy().put("serviceId", "client:cnothere000")), 404, "unknown-service");
    problem(citizen.send("POST", "/api/v1/me/consents", give.copy().put("tenantCode", "122190")), 404, "unknown-service");
    problem(citizen.send("POST", "/api/v1/me/consents", give.copy().put("serviceId", "association:00000000-0000-0000-0000-000000000000")),
        422, null);
    problem(citizen.send("POST", "/api/v1/me/consents", give.copy().put("validityDays", 0)), 400, null);
    problem(new JsonApi(node.baseUrl()).send("POST", "/api/v1/me/consents", give), 401, null);
    assertTrue(citizen.json("GET", "/api/v1/me/consents", null).getJsonArray("items").isEmpty(), "nothing was recorded");

    HttpResponse<String> given = citizen.send("POST", "/api/v1/me/consents", give.copy().put("validityDays", 30));
    assertEquals(201, given.statusCode(), given.body());
    JsonObject record = new JsonObject(given.body());
    assertEquals("given", record.getString("state"));
    assertEquals("api", record.getString("channel"));
    assertNotNull(record.getString("expiresAt"), "given for 30 days");
    HttpResponse<String> refused = citizen.send("POST", "/api/v1/me/consents", new JsonObject().put("tenantCode", "222097")
        .put("serviceId", service).put("noticeVersion", version).put("decision", "refuse"));
    assertEquals(201, refused.statusCode(), refused.body());
    JsonArray records = citizen.json("GET", "/api/v1/me/consents", null).getJsonArray("items");
    assertEquals("refused", records.getJsonObject(0).getString("state"));
    assertEquals("superseded", records.getJsonObject(1).getString("state"));
  }

  @Test
  void removingAServiceWithdrawsWhatCitizensAgreedToWithIt() throws Exception {
    JsonApi admin = JsonApi.staff(node, OidcTestNode.ADMIN);
    HttpResponse<String> r = admin.send("POST", "/api/v1/tenants/222097/oidc-clients", registration().put("name", "閉館する分館"));
    assertEquals(201, r.statusCode(), r.body());
    String gone = new JsonObject(r.body()).getString("clientId");
    fixtures.verifiedCitizen("branch-user@example.jp");
    JsonApi citizen = JsonApi.citizen(node, "branch-user@example.jp");
    HttpResponse<String> given = citizen.send("POST", "/api/v1/me/consents", new JsonObject().put("tenantCode", "222097")
        .put("serviceId", "client:" + gone).put("noticeVersion", 1).put("decision", "give")
        .put("items", new JsonArray().add("openid")).put("purposes", new JsonArray().add("lending")));
    assertEquals(201, given.statusCode(), given.body());

    assertEquals(204, admin.send("DELETE", "/api/v1/tenants/222097/oidc-clients/" + gone, null).statusCode());
    JsonObject record = citizen.json("GET", "/api/v1/me/consents", null).getJsonArray("items").getJsonObject(0);
    assertEquals("client:" + gone, record.getString("serviceId"));
    assertEquals("withdrawn", record.getString("state"), "the citizen's record says the service holds nothing any more");
    String account = node.platform().services().accounts().findByEmail("branch-user@example.jp")
        .toCompletionStage().toCompletableFuture().get().orElseThrow().id().toString();
    assertFalse(Fixtures.await(node.platform().services().consent().gate().decide("222097", account, "client:" + gone, "openid",
        "lending")).permitted());
  }

  @Test
  void aRegistrationWithABadNoticeRegistersNothing() throws Exception {
    JsonApi admin = JsonApi.staff(node, OidcTestNode.ADMIN);
    int before = admin.json("GET", "/api/v1/tenants/222097/oidc-clients", null).getJsonArray("items").size();
    problem(admin.send("POST", "/api/v1/tenants/222097/oidc-clients", registration().put("dataItems", new JsonArray()
        .add(new JsonObject().put("id", "openid").put("label", text("x", "x"))))), 400, null);
    problem(admin.send("POST", "/api/v1/tenants/222097/oidc-clients", registration().put("consentEventsUri", "ftp://x/y")), 400, null);
    problem(admin.send("POST", "/api/v1/tenants/222097/oidc-clients", registration().put("notice", new JsonObject().put("ja", "x"))),
        400, null);
    assertEquals(before, admin.json("GET", "/api/v1/tenants/222097/oidc-clients", null).getJsonArray("items").size());
  }

  static void problem(HttpResponse<String> r, int status, String typeSuffix) {
    JsonApi.problem(r, status, typeSuffix);
  }
}

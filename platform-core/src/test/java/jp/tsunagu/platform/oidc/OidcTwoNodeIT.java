package jp.tsunagu.platform.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import jp.tsunagu.api.model.OidcClient;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes behind one issuer, sharing PostgreSQL and a Hazelcast cluster: an authorization started
 * on one node is signed in, consented and exchanged on the other; a flow outlives the node it
 * started on; a key rotated on one node is used and published by the other.
 */
class OidcTwoNodeIT {
  static TestPlatform.Cluster cluster;
  static TestPlatform first;
  static TestPlatform second;
  static String issuer;
  static Rp rp;
  static final String REDIRECT = "http://127.0.0.1:9/cb";
  static final String KEK = java.util.Base64.getEncoder()
      .encodeToString("tsunagu-two-node-test-kek-32byte".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestPlatform.Cluster();
    int p1 = TestPlatform.freePort();
    int p2 = TestPlatform.freePort();
    issuer = "http://127.0.0.1:" + p1;
    Map<String, String> shared = Map.of("oidc.keyPrepublishSeconds", "0", "security.keyEncryptionKey", KEK);
    first = TestPlatform.start(cluster, OidcTestNode.settings(p1, shared));
    Map<String, String> second2 = new java.util.HashMap<>(OidcTestNode.settings(p2, shared));
    second2.put("http.publicUrl", issuer);
    second = TestPlatform.start(cluster, second2);
    new Fixtures(first).tenantWithStaff(Fixtures.SHIMADA, "島田市", OidcTestNode.ADMIN, Role.TENANT_ADMIN);
    OidcClient c = OidcTestNode.confidential(first, REDIRECT, null, null);
    rp = new Rp(second.baseUrl(), c.getClientId(), c.getClientSecret(), REDIRECT);
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
  }

  @Test
  void anAuthorizationStartedOnOneNodeIsFinishedAndExchangedOnTheOther() throws Exception {
    String email = new Fixtures(first).verifiedCitizen("two-nodes@example.jp").email();
    Browserless browser = new Browserless(first.baseUrl());
    HttpResponse<String> page = browser.authorize(URI.create(first.baseUrl() + "/oauth2/authorize?" + rp.standardQuery(null)));
    assertTrue(page.uri().toString().startsWith(first.baseUrl()));
    browser.useNode(second.baseUrl());
    HttpResponse<String> consent = browser.signIn(page, email, Fixtures.PASSWORD);
    assertTrue(consent.uri().toString().startsWith(second.baseUrl()), consent.uri().toString());
    String code = Rp.params(Browserless.location(browser.consent(consent, true, "email"))).get("code");
    HttpResponse<String> r = rp.token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT), true);
    assertEquals(200, r.statusCode(), r.body());
    JsonObject t = new JsonObject(r.body());
    new IDTokenValidator(new Issuer(issuer), new ClientID(rp.clientId), JWSAlgorithm.RS256,
        URI.create(second.baseUrl() + "/oauth2/jwks").toURL()).validate(JWTParser.parse(t.getString("id_token")), new Nonce("n1"));
    Rp onFirst = new Rp(first.baseUrl(), rp.clientId, rp.secret, REDIRECT);
    assertEquals(200, onFirst.userinfo(t.getString("access_token")).statusCode());
  }

  @Test
  void aRequestPushedToOneNodeIsBroughtToTheOther() throws Exception {
    String email = new Fixtures(first).verifiedCitizen("pushed-two-nodes@example.jp").email();
    Rp onFirst = new Rp(first.baseUrl(), rp.clientId, rp.secret, REDIRECT);
    HttpResponse<String> pushed = onFirst.post("/oauth2/par", "application/x-www-form-urlencoded", rp.standardQuery(null),
        Rp.basic(rp.clientId, rp.secret));
    assertEquals(201, pushed.statusCode(), pushed.body());
    String requestUri = new JsonObject(pushed.body()).getString("request_uri");
    Browserless browser = new Browserless(second.baseUrl());
    String code = rp.code(browser, "client_id=" + Browserless.enc(rp.clientId) + "&request_uri=" + Browserless.enc(requestUri), email);
    HttpResponse<String> r = onFirst.token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT), true);
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void aFlowOutlivesTheNodeItStartedOn() throws Exception {
    String email = new Fixtures(first).verifiedCitizen("node-stops@example.jp").email();
    int p3 = TestPlatform.freePort();
    Map<String, String> third = new java.util.HashMap<>(OidcTestNode.settings(p3,
        Map.of("oidc.keyPrepublishSeconds", "0", "security.keyEncryptionKey", KEK)));
    third.put("http.publicUrl", issuer);
    TestPlatform leaving = TestPlatform.start(cluster, third);
    Browserless browser = new Browserless(leaving.baseUrl());
    HttpResponse<String> page = browser.authorize(URI.create(leaving.baseUrl() + "/oauth2/authorize?" + rp.standardQuery(null)));
    leaving.close();
    browser.useNode(second.baseUrl());
    HttpResponse<String> again = browser.get(Browserless.flowPath(page)); // the flow's own address, reloaded
    assertEquals(200, again.statusCode(), again.body());
    HttpResponse<String> consent = browser.signIn(again, email, Fixtures.PASSWORD);
    assertTrue(Rp.params(Browserless.location(browser.consent(consent, true, "email"))).containsKey("code"));
  }

  @Test
  void aKeyRotatedOnOneNodeIsUsedAndPublishedByTheOther() throws Exception {
    List<String> added = Fixtures.await(first.platform().services().oidc().keys().rotate());
    String rsa = added.stream().filter(k -> k.startsWith("rs256-")).findFirst().orElseThrow();
    // no prepublication here: the new key signs at once on the node that made it
    String email = new Fixtures(first).verifiedCitizen("rotation@example.jp").email();
    Rp onFirst = new Rp(first.baseUrl(), rp.clientId, rp.secret, REDIRECT);
    Browserless browser = new Browserless(first.baseUrl());
    String code = onFirst.code(browser, onFirst.standardQuery(null), email);
    JsonObject t = new JsonObject(onFirst.token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT), true).body());
    assertEquals(rsa, SignedJWT.parse(t.getString("access_token")).getHeader().getKeyID());
    assertEquals(200, rp.userinfo(t.getString("access_token")).statusCode(), "the other node verifies with the new key");
    assertTrue(new Browserless(second.baseUrl()).get("/oauth2/jwks").body().contains(rsa));
    // the private parts are sealed in PostgreSQL: no JWK member "d" readable there
    var rows = Fixtures.await(first.platform().services().pool().query("SELECT sealed, private_jwk FROM oidc_signing_key").execute());
    rows.forEach(row -> {
      assertTrue(row.getBoolean("sealed"));
      assertTrue(!new String(row.getBuffer("private_jwk").getBytes(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("\"d\""));
    });
  }
}

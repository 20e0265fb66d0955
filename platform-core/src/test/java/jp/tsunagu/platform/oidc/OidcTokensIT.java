package jp.tsunagu.platform.oidc;

import static jp.tsunagu.platform.oidc.Rp.oauthError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import jp.tsunagu.api.client.OpenidClientsApi;
import jp.tsunagu.api.model.NewOidcClient;
import jp.tsunagu.api.model.NewOidcClient.GrantTypesEnum;
import jp.tsunagu.api.model.NewOidcClient.IdTokenSignedResponseAlgEnum;
import jp.tsunagu.api.model.NewOidcClient.TokenEndpointAuthMethodEnum;
import jp.tsunagu.api.model.OidcClient;
import jp.tsunagu.platform.Services;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens at the resource side (userinfo and introspection refuse tampered, unsigned, foreign-key
 * and expired tokens), client credentials and private_key_jwt, ES256 ID tokens, pairwise and
 * public subjects, and the assurance levels carried by acr.
 */
class OidcTokensIT {
  static TestPlatform node;
  static Fixtures fixtures;
  static OpenidClientsApi api;
  static Rp rp;
  static final String REDIRECT = "http://127.0.0.1:9/cb";

  @BeforeAll
  static void start() throws Exception {
    node = OidcTestNode.start(Map.of());
    fixtures = new Fixtures(node);
    api = new OpenidClientsApi(OidcTestNode.admin(node));
    rp = OidcTestNode.confidentialRp(node, REDIRECT);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static Rp register(NewOidcClient c) throws Exception {
    return OidcTestNode.register(node, api, c, REDIRECT);
  }

  @Test
  void userinfoAndIntrospectionRefuseTamperedUnsignedForeignAndExpiredTokens() throws Exception {
    String email = fixtures.verifiedCitizen("tokens@example.jp").email();
    JsonObject t = rp.tokens(rp.standardQuery(null), email);
    String good = t.getString("access_token");
    assertEquals(200, rp.userinfo(good).statusCode());
    assertTrue(rp.introspect(good).getBoolean("active"));
    assertEquals(rp.clientId, rp.introspect(good).getString("client_id"));
    assertTrue(rp.introspect(t.getString("refresh_token")).getBoolean("active"));

    SignedJWT parsed = SignedJWT.parse(good);
    JWTClaimsSet claims = parsed.getJWTClaimsSet();
    String[] parts = good.split("\\.");
    String tampered = parts[0] + "." + b64(new JWTClaimsSet.Builder(claims).subject("someone-else").build().toString()) + "." + parts[2];
    String unsigned = b64("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + parsed.getHeader().getKeyID() + "\"}") + "." + parts[1] + ".";
    RSAKey foreignKey = new RSAKeyGenerator(2048).keyID(parsed.getHeader().getKeyID()).generate();
    SignedJWT foreign = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(foreignKey.getKeyID())
        .type(new JOSEObjectType("at+jwt")).build(), claims);
    foreign.sign(new RSASSASigner(foreignKey));
    Services services = node.platform().services();
    String expired = services.oidc().keys().sign(JWSAlgorithm.RS256, new JOSEObjectType("at+jwt"), new JWTClaimsSet.Builder(claims)
        .issueTime(new Date(System.currentTimeMillis() - 3_600_000)).expirationTime(new Date(System.currentTimeMillis() - 60_000)).build());
    String idToken = t.getString("id_token");
    for (String bad : List.of(tampered, unsigned, foreign.serialize(), expired, idToken, "not-a-token")) {
      HttpResponse<String> r = rp.userinfo(bad);
      assertEquals(401, r.statusCode(), bad);
      assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer realm=\"tsunagu\", error=\"invalid_token\""),
          r.headers().toString());
      assertFalse(rp.introspect(bad).getBoolean("active"), bad);
    }
    HttpResponse<String> none = Rp.HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(node.baseUrl() + "/oauth2/userinfo")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, none.statusCode());
    assertEquals("Bearer realm=\"tsunagu\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
    // POST with the token in the form is accepted as well
    HttpResponse<String> posted = rp.post("/oauth2/userinfo", "application/x-www-form-urlencoded", "access_token=" + good, null);
    assertEquals(200, posted.statusCode(), posted.body());
    // revoking the access token ends it at userinfo and introspection, not the refresh token
    assertEquals(200, rp.post("/oauth2/revoke", "application/x-www-form-urlencoded", "token=" + good + "&token_type_hint=access_token",
        Rp.basic(rp.clientId, rp.secret)).statusCode());
    assertEquals(401, rp.userinfo(good).statusCode());
    assertTrue(rp.introspect(t.getString("refresh_token")).getBoolean("active"));
  }

  @Test
  void publicClientsCannotIntrospect() throws Exception {
    Rp pub = register(new NewOidcClient().tokenEndpointAuthMethod(TokenEndpointAuthMethodEnum.NONE).scopes(List.of("openid")));
    oauthError(pub.post("/oauth2/introspect", "application/x-www-form-urlencoded", "token=x&client_id=" + pub.clientId, null),
        401, "invalid_client");
  }

  @Test
  void clientCredentialsGiveAServiceTokenWithApiScopesOnly() throws Exception {
    Rp service = register(new NewOidcClient().grantTypes(List.of(GrantTypesEnum.CLIENT_CREDENTIALS)).redirectUris(List.of())
        .scopes(List.of("circulars.read", "openid")));
    HttpResponse<String> r = service.token(Map.of("grant_type", "client_credentials"), true);
    assertEquals(200, r.statusCode(), r.body());
    JsonObject t = new JsonObject(r.body());
    assertEquals("circulars.read", t.getString("scope"));
    assertNull(t.getString("refresh_token"));
    assertNull(t.getString("id_token"));
    JWTClaimsSet claims = SignedJWT.parse(t.getString("access_token")).getJWTClaimsSet();
    assertEquals(service.clientId, claims.getSubject());
    assertTrue(service.introspect(t.getString("access_token")).getBoolean("active"));
    assertEquals(403, service.userinfo(t.getString("access_token")).statusCode(), "no openid scope: insufficient_scope");
    oauthError(service.token(Map.of("grant_type", "client_credentials", "scope", "openid"), true), 400, "invalid_scope");
    oauthError(service.token(Map.of("grant_type", "client_credentials", "scope", "circulars.write"), true), 400, "invalid_scope");
  }

  @Test
  void privateKeyJwtAuthenticatesAndAnAssertionWorksOnce() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("svc-1").generate();
    Rp service = register(new NewOidcClient().tokenEndpointAuthMethod(TokenEndpointAuthMethodEnum.PRIVATE_KEY_JWT)
        .grantTypes(List.of(GrantTypesEnum.CLIENT_CREDENTIALS)).redirectUris(List.of()).scopes(List.of("handbook.write"))
        .jwks(new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toJSONObject()));
    URI tokenEndpoint = URI.create(node.baseUrl() + "/oauth2/token");
    PrivateKeyJWT assertion = new PrivateKeyJWT(new ClientID(service.clientId), tokenEndpoint, JWSAlgorithm.RS256,
        key.toRSAPrivateKey(), key.getKeyID(), null);
    TokenRequest request = new TokenRequest(tokenEndpoint, assertion, new ClientCredentialsGrant(), new Scope("handbook.write"));
    TokenResponse first = TokenResponse.parse(request.toHTTPRequest().send());
    assertTrue(first.indicatesSuccess(), () -> first.toErrorResponse().getErrorObject().toString());
    TokenResponse replay = TokenResponse.parse(request.toHTTPRequest().send());
    assertEquals("invalid_client", replay.toErrorResponse().getErrorObject().getCode());
    RSAKey other = new RSAKeyGenerator(2048).keyID("svc-1").generate();
    TokenResponse forged = TokenResponse.parse(new TokenRequest(tokenEndpoint, new PrivateKeyJWT(new ClientID(service.clientId),
        tokenEndpoint, JWSAlgorithm.RS256, other.toRSAPrivateKey(), other.getKeyID(), null), new ClientCredentialsGrant(), null)
        .toHTTPRequest().send());
    assertEquals("invalid_client", forged.toErrorResponse().getErrorObject().getCode());
  }

  @Test
  void es256IdTokensWhereTheClientAsksAndTheJwksHoldsBothKinds() throws Exception {
    Rp es = register(new NewOidcClient().idTokenSignedResponseAlg(IdTokenSignedResponseAlgEnum.ES256).scopes(List.of("openid")));
    String email = fixtures.verifiedCitizen("es256@example.jp").email();
    JsonObject t = es.tokens(es.standardQuery(null).replace("scope=openid%20email", "scope=openid"), email);
    IDTokenClaimsSet id = new IDTokenValidator(new Issuer(node.baseUrl()), new ClientID(es.clientId), JWSAlgorithm.ES256,
        URI.create(node.baseUrl() + "/oauth2/jwks").toURL()).validate(com.nimbusds.jwt.JWTParser.parse(t.getString("id_token")),
        new Nonce("n1"));
    assertEquals(es.clientId, id.getAudience().get(0).getValue());
    JsonObject jwks = new JsonObject(Rp.HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(node.baseUrl() + "/oauth2/jwks")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    List<String> kinds = jwks.getJsonArray("keys").stream().map(k -> ((JsonObject) k).getString("kty")).sorted().distinct().toList();
    assertEquals(List.of("EC", "RSA"), kinds);
    assertTrue(jwks.getJsonArray("keys").stream().noneMatch(k -> ((JsonObject) k).containsKey("d")), "no private parts");
  }

  @Test
  void subjectsArePairwisePerSectorAndPublicOnlyWhereAllowed() throws Exception {
    Account citizen = fixtures.verifiedCitizen("pairwise@example.jp");
    Rp a = register(new NewOidcClient().sectorIdentifier("library.example").scopes(List.of("openid")));
    Rp a2 = register(new NewOidcClient().sectorIdentifier("library.example").scopes(List.of("openid")));
    Rp b = register(new NewOidcClient().sectorIdentifier("school.example").scopes(List.of("openid")));
    Rp pub = register(new NewOidcClient().publicSubject(true).scopes(List.of("openid")));
    String q = "scope=openid";
    String subA = sub(a, q, citizen);
    assertEquals(subA, sub(a2, q, citizen), "one sector, one subject");
    assertNotEquals(subA, sub(b, q, citizen));
    assertNotEquals(citizen.id().toString(), subA);
    assertEquals(citizen.id().toString(), sub(pub, q, citizen));
  }

  private static String sub(Rp client, String scope, Account citizen) throws Exception {
    JsonObject t = client.tokens(client.standardQuery(null).replace("scope=openid%20email", scope), citizen.email());
    return SignedJWT.parse(t.getString("id_token")).getJWTClaimsSet().getSubject();
  }

  @Test
  void residentLevelIsAskedForOfferedAsTheResidenceStepAndCarriedInAcrAndClaims() throws Exception {
    Account citizen = fixtures.verifiedCitizen("resident@example.jp");
    String code = residenceCode("ヤイヅ", "タロウ");
    String query = rp.standardQuery(null).replace("scope=openid%20email", "scope=openid%20municipality")
        + "&acr_values=" + Browserless.enc(Acr.RESIDENT);
    Browserless browser = new Browserless(node.baseUrl());
    HttpResponse<String> page = browser.signIn(browser.authorize(URI.create(rp.authorizeUrl(query))), citizen.email(), Fixtures.PASSWORD);
    assertTrue(page.body().contains("/residence\""), "the residence step is offered");
    // cancelling goes back to the service with access_denied
    HttpResponse<String> cancelled = browser.follow(browser.post(action(page), Map.of("csrf", Browserless.csrf(page), "decision", "cancel")));
    assertEquals("access_denied", Rp.params(Browserless.location(cancelled)).get("error"));
    // prompt=none cannot show the step
    HttpResponse<String> silent = browser.authorize(URI.create(rp.authorizeUrl(query + "&prompt=none")));
    assertEquals("interaction_required", Rp.params(Browserless.location(silent)).get("error"));
    // entering the code on the step verifies residence and the flow continues to consent
    HttpResponse<String> again = browser.authorize(URI.create(rp.authorizeUrl(query)));
    HttpResponse<String> consent = browser.follow(browser.post(action(again), Map.of("csrf", Browserless.csrf(again), "decision", "verify",
        "code", code)));
    String back = Rp.params(Browserless.location(browser.consent(consent, true, "municipality"))).get("code");
    HttpResponse<String> r = rp.token(Map.of("grant_type", "authorization_code", "code", back, "redirect_uri", REDIRECT), true);
    JsonObject t = new JsonObject(r.body());
    assertEquals(Acr.RESIDENT, SignedJWT.parse(t.getString("id_token")).getJWTClaimsSet().getStringClaim("acr"));
    JsonObject info = new JsonObject(rp.userinfo(t.getString("access_token")).body());
    assertEquals(Fixtures.SHIMADA, info.getJsonObject("municipality").getString("code"));
    assertNull(info.getString("email"), "email was not asked for");
  }

  @Test
  void promptLoginMaxAgeAndPromptConsentAskAgain() throws Exception {
    String email = fixtures.verifiedCitizen("prompt@example.jp").email();
    Browserless browser = new Browserless(node.baseUrl());
    rp.code(browser, rp.standardQuery(null), email);
    assertTrue(Browserless.location(browser.authorize(URI.create(rp.authorizeUrl(rp.standardQuery(null))))).toString().contains("code="),
        "signed in and consented: straight back");
    assertTrue(browser.authorize(URI.create(rp.authorizeUrl(rp.standardQuery(null) + "&prompt=login"))).body().contains("/sign-in\""));
    assertTrue(browser.authorize(URI.create(rp.authorizeUrl(rp.standardQuery(null) + "&max_age=0"))).body().contains("/sign-in\""));
    assertTrue(browser.authorize(URI.create(rp.authorizeUrl(rp.standardQuery(null) + "&prompt=consent"))).body().contains("/consent\""));
    HttpResponse<String> select = browser.authorize(URI.create(rp.authorizeUrl(rp.standardQuery(null) + "&prompt=select_account")));
    assertTrue(select.body().contains("/continue\""), "offers to continue as the signed-in citizen");
    // prompt=none with a session and consent: a code without any page
    assertTrue(Rp.params(Browserless.location(browser.authorize(URI.create(rp.authorizeUrl(rp.standardQuery(null) + "&prompt=none")))))
        .containsKey("code"));
    // ui_locales picks the page language
    Browserless fresh = new Browserless(node.baseUrl());
    assertTrue(fresh.authorize(URI.create(rp.authorizeUrl(rp.standardQuery(null) + "&ui_locales=en"))).body().contains("<html lang=\"en\">"));
    assertTrue(fresh.authorize(URI.create(rp.authorizeUrl(rp.standardQuery(null) + "&ui_locales=ja&login_hint=" + Browserless.enc(email))))
        .body().contains("value=\"" + email + "\""));
  }

  @Test
  void theAuthorizationResponseIsTheSignInPageAndAReturningCitizensSignInEndsTheFlowInOneStep() throws Exception {
    String email = fixtures.verifiedCitizen("returning@example.jp").email();
    rp.code(new Browserless(node.baseUrl()), rp.standardQuery(null), email); // the first time: the consent page, approved
    Browserless browser = new Browserless(node.baseUrl());
    HttpResponse<String> page = browser.get(rp.authorizeUrl(rp.standardQuery(null)));
    assertEquals(200, page.statusCode(), "the authorization request's own response shows the sign-in page");
    assertTrue(page.body().contains("/sign-in\""), page.body());
    assertTrue(page.body().contains("next=%2Fauthorize%2F"), "the language switch returns to the flow, not to a new request");
    HttpResponse<String> back = browser.signIn(page, email, Fixtures.PASSWORD);
    String code = Rp.params(Browserless.location(back)).get("code");
    assertTrue(code != null, "a consent in force: the sign-in form answers with the code");
    io.vertx.sqlclient.Row flow = Fixtures.await(node.platform().services().pool()
        .preparedQuery("SELECT f.state, f.acr, f.account_id, s.subject FROM oidc_flow f "
            + "LEFT JOIN oidc_subject s ON s.client_id = f.client_id AND s.account_id = f.account_id WHERE f.code_hash = $1")
        .execute(io.vertx.sqlclient.Tuple.of(io.vertx.core.buffer.Buffer.buffer(jp.tsunagu.platform.security.Tokens.sha256(code)))))
        .iterator().next();
    assertEquals("done", flow.getString("state"));
    assertEquals(Acr.EMAIL, flow.getString("acr"));
    assertTrue(flow.getString("subject") != null, "the service's subject for the citizen is recorded");
    HttpResponse<String> tokens = rp.token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT), true);
    assertEquals(200, tokens.statusCode(), tokens.body());
    assertEquals(flow.getString("subject"),
        SignedJWT.parse(new JsonObject(tokens.body()).getString("id_token")).getJWTClaimsSet().getSubject());
    // the same form posted again (a double click, a replay): the flow is done, no second code
    HttpResponse<String> again = browser.signIn(page, email, Fixtures.PASSWORD);
    assertFalse(again.headers().firstValue("Location").orElse("").contains("code="), again.statusCode() + " " + again.body());
  }

  @Test
  void theSignInPageNeedsNoSessionAndItsFormIsBoundToTheFlowsCookie() throws Exception {
    String email = fixtures.verifiedCitizen("flow-csrf@example.jp").email();
    Browserless browser = new Browserless(node.baseUrl());
    HttpResponse<String> page = browser.get(rp.authorizeUrl(rp.standardQuery(null)));
    assertEquals(200, page.statusCode());
    assertTrue(browser.jar.getCookieStore().getCookies().stream().noneMatch(c -> c.getName().equals("tsunagu_session")),
        "showing the sign-in page stores no session");
    String action = Browserless.flowPath(page) + "/sign-in";
    String token = Browserless.csrf(page);
    Browserless other = new Browserless(node.baseUrl());
    HttpResponse<String> otherPage = other.get(rp.authorizeUrl(rp.standardQuery(null)));
    // a forged token, another flow's token, and the right token from a browser without the flow's cookie: all refused
    for (var attempt : List.of(Map.entry(browser, token.substring(1) + "A"), Map.entry(browser, Browserless.csrf(otherPage)),
        Map.entry(new Browserless(node.baseUrl()), token))) {
      HttpResponse<String> refused = attempt.getKey().post(action, Map.of("csrf", attempt.getValue(), "email", email,
          "password", Fixtures.PASSWORD));
      assertEquals(403, refused.statusCode(), refused.body());
    }
    HttpResponse<String> missing = browser.post(action, Map.of("email", email, "password", Fixtures.PASSWORD));
    assertEquals(403, missing.statusCode());
    // the flow's own form goes through, and the sign-in starts a session
    HttpResponse<String> consent = browser.signIn(page, email, Fixtures.PASSWORD);
    assertEquals(200, consent.statusCode(), consent.body());
    assertTrue(consent.body().contains("/consent\""), consent.body());
    assertTrue(browser.jar.getCookieStore().getCookies().stream().anyMatch(c -> c.getName().equals("tsunagu_session")));
    assertTrue(Rp.params(Browserless.location(browser.consent(consent, true, "email"))).containsKey("code"));
  }

  /** A resident record with a fresh code, as a clerk issues it. */
  private static String residenceCode(String familyKana, String givenKana) {
    Services s = node.platform().services();
    Staff admin = Fixtures.await(s.staff().byEmail(OidcTestNode.ADMIN)).orElseThrow();
    Staff clerk = Fixtures.await(s.staff().create(Staff.SYSTEM, Fixtures.SHIMADA, "clerk-" + System.nanoTime() + "@shimada.example",
        "Clerk", EnumSet.of(Role.RESIDENT_CLERK), Fixtures.PASSWORD));
    Fixtures.await(s.residence().importCsv(clerk, Fixtures.SHIMADA,
        "family_name,given_name,family_kana,given_kana,birth_date,district,household\n焼津,太郎," + familyKana + "," + givenKana
            + ",1980-01-01,d1,H-9\n"));
    var record = Fixtures.await(s.residence().search(Fixtures.SHIMADA, familyKana + givenKana, 1)).get(0);
    var tenant = Fixtures.await(s.tenants().require(Fixtures.SHIMADA));
    assertTrue(admin != null);
    return Fixtures.await(s.residence().issueCode(clerk, tenant, record.id())).code();
  }

  private static String action(HttpResponse<String> page) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("action=\"(/authorize/[0-9a-f-]+/residence)\"").matcher(page.body());
    assertTrue(m.find(), page.body());
    return m.group(1);
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}

package jp.tsunagu.platform.oidc;

import static jp.tsunagu.platform.oidc.Rp.oauthError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.List;
import java.util.Map;
import jp.tsunagu.api.client.OpenidClientsApi;
import jp.tsunagu.api.model.NewOidcClient;
import jp.tsunagu.api.model.NewOidcClient.GrantTypesEnum;
import jp.tsunagu.api.model.NewOidcClient.TokenEndpointAuthMethodEnum;
import jp.tsunagu.platform.security.Tokens;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DPoP (RFC 9449): proofs made by Nimbus oauth2-oidc-sdk's {@link DefaultDPoPProofFactory}, as a
 * client library makes them. A token request with a proof gets a token bound to the proof's key
 * ({@code token_type} DPoP, {@code cnf.jkt}); a resource takes it only with the DPoP scheme and a
 * fresh proof of that key for that request; a public client's refresh token is bound to the key
 * too. Every bad proof is refused without issuing, spending or revoking anything.
 */
class OidcDpopIT {
  static TestPlatform node;
  static Rp publicClient;
  static Rp service;
  static String email;
  static ECKey key;
  static ECKey otherKey;
  static DefaultDPoPProofFactory proofs;
  static DefaultDPoPProofFactory otherProofs;
  static URI tokenEndpoint;
  static URI userinfo;
  static final String REDIRECT = "http://127.0.0.1:9/dpop-cb";

  @BeforeAll
  static void start() throws Exception {
    node = OidcTestNode.start(Map.of());
    email = new Fixtures(node).verifiedCitizen("dpop@example.jp").email();
    OpenidClientsApi api = new OpenidClientsApi(OidcTestNode.admin(node));
    publicClient = OidcTestNode.register(node, api, new NewOidcClient().tokenEndpointAuthMethod(TokenEndpointAuthMethodEnum.NONE)
        .scopes(List.of("openid", "email")).grantTypes(List.of(GrantTypesEnum.AUTHORIZATION_CODE, GrantTypesEnum.REFRESH_TOKEN)), REDIRECT);
    service = OidcTestNode.register(node, api, new NewOidcClient().scopes(List.of("citizen_data"))
        .grantTypes(List.of(GrantTypesEnum.CLIENT_CREDENTIALS)).dpopBoundAccessTokens(true), REDIRECT);
    key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    otherKey = new ECKeyGenerator(Curve.P_256).generate();
    proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
    otherProofs = new DefaultDPoPProofFactory(otherKey, JWSAlgorithm.ES256);
    tokenEndpoint = URI.create(node.baseUrl() + "/oauth2/token");
    userinfo = URI.create(node.baseUrl() + "/oauth2/userinfo");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void discoveryNamesTheProofAlgorithms() throws Exception {
    OIDCProviderMetadata provider = OIDCProviderMetadata.resolve(new com.nimbusds.oauth2.sdk.id.Issuer(node.baseUrl()));
    assertEquals(List.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256, JWSAlgorithm.PS256), provider.getDPoPJWSAlgs());
  }

  @Test
  void aPublicClientsTokensAreBoundToItsKeyAtEveryUse() throws Exception {
    JsonObject tokens = exchange(proofs.createDPoPJWT("POST", tokenEndpoint).serialize());
    assertEquals("DPoP", tokens.getString("token_type"));
    String jkt = key.computeThumbprint().toString();
    String access = tokens.getString("access_token");
    assertEquals(jkt, ((Map<?, ?>) SignedJWT.parse(access).getJWTClaimsSet().getClaim("cnf")).get("jkt"));

    // at userinfo: the DPoP scheme with a proof of the key for this request and this token
    String proof = proofs.createDPoPJWT("GET", userinfo, new DPoPAccessToken(access)).serialize();
    HttpResponse<String> info = get(userinfo, "DPoP " + access, proof);
    assertEquals(200, info.statusCode(), info.body());
    assertEquals(email, new JsonObject(info.body()).getString("email"));
    assertDpopRefused(get(userinfo, "DPoP " + access, proof), "invalid_dpop_proof"); // the same proof again
    HttpResponse<String> bearer = get(userinfo, "Bearer " + access, null);
    assertDpopRefused(bearer, "invalid_token");
    assertDpopRefused(get(userinfo, "DPoP " + access, null), "invalid_dpop_proof");
    assertDpopRefused(get(userinfo, "DPoP " + access, proofs.createDPoPJWT("GET", userinfo).serialize()), "invalid_dpop_proof"); // no ath
    assertDpopRefused(get(userinfo, "DPoP " + access, proofs.createDPoPJWT("POST", userinfo, new DPoPAccessToken(access)).serialize()),
        "invalid_dpop_proof");
    assertDpopRefused(get(userinfo, "DPoP " + access, proofs.createDPoPJWT("GET", URI.create(node.baseUrl() + "/oauth2/token"),
        new DPoPAccessToken(access)).serialize()), "invalid_dpop_proof");
    assertDpopRefused(get(userinfo, "DPoP " + access, otherProofs.createDPoPJWT("GET", userinfo, new DPoPAccessToken(access)).serialize()),
        "invalid_dpop_proof");
    // a query string is not part of htu
    assertEquals(200, get(URI.create(userinfo + "?x=1"), "DPoP " + access,
        proofs.createDPoPJWT("GET", userinfo, new DPoPAccessToken(access)).serialize()).statusCode());

    // the refresh token is bound to the key: without a proof, or with another key's, refused, and the family not revoked
    String refresh = tokens.getString("refresh_token");
    oauthError(refresh(refresh, null), 400, "invalid_grant");
    oauthError(refresh(refresh, otherProofs.createDPoPJWT("POST", tokenEndpoint).serialize()), 400, "invalid_grant");
    HttpResponse<String> rotated = refresh(refresh, proofs.createDPoPJWT("POST", tokenEndpoint).serialize());
    assertEquals(200, rotated.statusCode(), rotated.body());
    JsonObject next = new JsonObject(rotated.body());
    assertEquals("DPoP", next.getString("token_type"));
    assertNotEquals(refresh, next.getString("refresh_token"));
  }

  @Test
  void aPublicClientsFamilyIsBoundByTheFirstProofItComesWith() throws Exception {
    HttpResponse<String> plain = post(tokenEndpoint, form(code()), List.of());
    assertEquals(200, plain.statusCode(), plain.body());
    assertEquals("Bearer", new JsonObject(plain.body()).getString("token_type"));
    HttpResponse<String> first = refresh(new JsonObject(plain.body()).getString("refresh_token"),
        proofs.createDPoPJWT("POST", tokenEndpoint).serialize());
    assertEquals(200, first.statusCode(), first.body());
    assertEquals("DPoP", new JsonObject(first.body()).getString("token_type"));
    String next = new JsonObject(first.body()).getString("refresh_token");
    oauthError(refresh(next, null), 400, "invalid_grant");
    oauthError(refresh(next, otherProofs.createDPoPJWT("POST", tokenEndpoint).serialize()), 400, "invalid_grant");
    assertEquals(200, refresh(next, proofs.createDPoPJWT("POST", tokenEndpoint).serialize()).statusCode());
  }

  @Test
  void aCodeBoundToAKeyIsExchangedOnlyWithAProofOfIt() throws Exception {
    String jkt = key.computeThumbprint().toString();
    // dpop_jkt at the authorization endpoint (RFC 9449 §10)
    String boundQuery = "&dpop_jkt=" + jkt;
    oauthError(exchangeRaw(code(boundQuery), otherProofs.createDPoPJWT("POST", tokenEndpoint).serialize()), 400, "invalid_dpop_proof");
    oauthError(post(tokenEndpoint, form(code(boundQuery)), List.of()), 400, "invalid_dpop_proof");
    assertEquals(200, exchangeRaw(code(boundQuery), proofs.createDPoPJWT("POST", tokenEndpoint).serialize()).statusCode());
    URI malformed = Browserless.location(new Browserless(node.baseUrl()).authorize(URI.create(publicClient.authorizeUrl(
        publicClient.standardQuery(Rp.challenge(Tokens.urlToken())) + "&dpop_jkt=short"))));
    assertEquals("invalid_request", Rp.params(malformed).get("error"));

    // a DPoP proof with a pushed request (RFC 9449 §10.1)
    for (boolean sameKey : new boolean[] {false, true}) {
      verifier = Tokens.urlToken();
      HttpResponse<String> pushed = post(URI.create(node.baseUrl() + "/oauth2/par"), publicClient.standardQuery(Rp.challenge(verifier)),
          List.of(proofs.createDPoPJWT("POST", URI.create(node.baseUrl() + "/oauth2/par")).serialize()));
      assertEquals(201, pushed.statusCode(), pushed.body());
      String code = publicClient.code(new Browserless(node.baseUrl()), "client_id=" + Browserless.enc(publicClient.clientId)
          + "&request_uri=" + Browserless.enc(new JsonObject(pushed.body()).getString("request_uri")), email);
      HttpResponse<String> r = exchangeRaw(code, (sameKey ? proofs : otherProofs).createDPoPJWT("POST", tokenEndpoint).serialize());
      if (sameKey) {
        assertEquals(200, r.statusCode(), r.body());
      } else {
        oauthError(r, 400, "invalid_dpop_proof");
      }
    }
    // a push whose dpop_jkt names another key than its proof
    oauthError(post(URI.create(node.baseUrl() + "/oauth2/par"), publicClient.standardQuery(Rp.challenge(Tokens.urlToken())) + boundQuery,
        List.of(otherProofs.createDPoPJWT("POST", URI.create(node.baseUrl() + "/oauth2/par")).serialize())), 400, "invalid_dpop_proof");
  }

  @Test
  void badProofsAtTheTokenEndpointIssueAndSpendNothing() throws Exception {
    String code = code();
    Date now = new Date();
    List<String> bad = List.of(
        "not-a-jwt",
        proofs.createDPoPJWT("GET", tokenEndpoint).serialize(),
        proofs.createDPoPJWT("POST", userinfo).serialize(),
        proofs.createDPoPJWT(new JWTID(), "POST", tokenEndpoint, new Date(now.getTime() - 5 * 60_000), null).serialize(),
        proofs.createDPoPJWT(new JWTID(), "POST", tokenEndpoint, new Date(now.getTime() + 5 * 60_000), null).serialize(),
        signed(new JOSEObjectType("JWT"), key.toPublicJWK(), key),   // not typ dpop+jwt
        signed(DpopProofs.TYPE, otherKey.toPublicJWK(), key),         // signed by another key than its header's
        signed(DpopProofs.TYPE, null, key));                          // no key in the header
    for (String proof : bad) {
      oauthError(exchangeRaw(code, proof), 400, "invalid_dpop_proof");
    }
    HttpResponse<String> twice = post(tokenEndpoint, form(code), List.of(proofs.createDPoPJWT("POST", tokenEndpoint).serialize(),
        proofs.createDPoPJWT("POST", tokenEndpoint).serialize()));
    oauthError(twice, 400, "invalid_dpop_proof");
    String used = proofs.createDPoPJWT("POST", tokenEndpoint).serialize();
    HttpResponse<String> good = exchangeRaw(code, used);
    assertEquals(200, good.statusCode(), "the code was not spent by the refused requests: " + good.body());
    oauthError(exchangeRaw(code(), used), 400, "invalid_dpop_proof"); // a proof is used once
  }

  @Test
  void aServicesBoundTokenCallsTheApiWithProofsOnly() throws Exception {
    String basic = Rp.basic(service.clientId, service.secret);
    // registered for DPoP-bound tokens: none without a proof
    oauthError(post(tokenEndpoint, "grant_type=client_credentials&scope=citizen_data", List.of(), basic), 400, "invalid_dpop_proof");
    HttpResponse<String> r = post(tokenEndpoint, "grant_type=client_credentials&scope=citizen_data",
        List.of(proofs.createDPoPJWT("POST", tokenEndpoint).serialize()), basic);
    assertEquals(200, r.statusCode(), r.body());
    JsonObject t = new JsonObject(r.body());
    assertEquals("DPoP", t.getString("token_type"));
    String access = t.getString("access_token");
    URI api = URI.create(node.baseUrl() + "/api/v1/service/citizen-data");
    String body = new JsonObject().put("subject", "nobody").put("purpose", "sign_in").put("items", List.of("email")).encode();
    HttpResponse<String> asBearer = send(HttpRequest.newBuilder(api).header("Authorization", "Bearer " + access)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    assertEquals(401, asBearer.statusCode(), asBearer.body());
    assertTrue(asBearer.headers().firstValue("WWW-Authenticate").orElse("").startsWith("DPoP "));
    HttpResponse<String> withProof = send(HttpRequest.newBuilder(api).header("Authorization", "DPoP " + access)
        .header("DPoP", proofs.createDPoPJWT("POST", api, new DPoPAccessToken(access)).serialize())
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    assertNotEquals(401, withProof.statusCode(), "the token and its proof are accepted: " + withProof.body());
    assertNotEquals(403, withProof.statusCode(), withProof.body());
    // RSA keys: RS256 and PS256 proofs
    com.nimbusds.jose.jwk.RSAKey rsa = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).generate();
    for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256)) {
      HttpResponse<String> rsaGrant = post(tokenEndpoint, "grant_type=client_credentials&scope=citizen_data",
          List.of(new DefaultDPoPProofFactory(rsa, alg).createDPoPJWT("POST", tokenEndpoint).serialize()), basic);
      assertEquals(200, rsaGrant.statusCode(), alg + " " + rsaGrant.body());
      assertEquals(rsa.computeThumbprint().toString(), ((Map<?, ?>) SignedJWT.parse(new JsonObject(rsaGrant.body())
          .getString("access_token")).getJWTClaimsSet().getClaim("cnf")).get("jkt"));
    }
    // introspection names the key the token is bound to
    JsonObject introspected = new JsonObject(service.post("/oauth2/introspect", "application/x-www-form-urlencoded",
        "token=" + access, basic).body());
    assertEquals("DPoP", introspected.getString("token_type"), introspected.encode());
    assertEquals(key.computeThumbprint().toString(), introspected.getJsonObject("cnf").getString("jkt"));
  }

  private static void assertDpopRefused(HttpResponse<String> r, String error) {
    assertEquals(401, r.statusCode(), r.body());
    String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
    assertTrue(challenge.startsWith("DPoP error=\"" + error + "\""), challenge);
    assertTrue(challenge.contains("algs=\"ES256 RS256 PS256\""), challenge);
  }

  private static String signed(JOSEObjectType type, com.nimbusds.jose.jwk.JWK headerKey, ECKey signer) throws Exception {
    JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.ES256).type(type);
    if (headerKey != null) {
      h.jwk(headerKey);
    }
    SignedJWT jwt = new SignedJWT(h.build(), new JWTClaimsSet.Builder().jwtID(Tokens.urlToken()).claim("htm", "POST")
        .claim("htu", tokenEndpoint.toString()).issueTime(new Date()).build());
    jwt.sign(new ECDSASigner(signer));
    return jwt.serialize();
  }

  private static String verifier;

  /** Signs the citizen in for the public client with PKCE; the code. */
  private static String code() throws Exception {
    return code("");
  }

  private static String code(String extraQuery) throws Exception {
    verifier = Tokens.urlToken();
    return publicClient.code(new Browserless(node.baseUrl()), publicClient.standardQuery(Rp.challenge(verifier)) + extraQuery, email);
  }

  private static String form(String code) {
    return "grant_type=authorization_code&code=" + Browserless.enc(code) + "&redirect_uri=" + Browserless.enc(REDIRECT)
        + "&client_id=" + Browserless.enc(publicClient.clientId) + "&code_verifier=" + verifier;
  }

  private static JsonObject exchange(String proof) throws Exception {
    HttpResponse<String> r = exchangeRaw(code(), proof);
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  private static HttpResponse<String> exchangeRaw(String code, String proof) throws Exception {
    return post(tokenEndpoint, form(code), List.of(proof));
  }

  private static HttpResponse<String> refresh(String token, String proof) throws Exception {
    return post(tokenEndpoint, "grant_type=refresh_token&refresh_token=" + Browserless.enc(token) + "&client_id="
        + Browserless.enc(publicClient.clientId), proof == null ? List.of() : List.of(proof));
  }

  private static HttpResponse<String> post(URI uri, String form, List<String> dpop) throws Exception {
    return post(uri, form, dpop, null);
  }

  private static HttpResponse<String> post(URI uri, String form, List<String> dpop, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded");
    dpop.forEach(p -> b.header("DPoP", p));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return send(b.POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  private static HttpResponse<String> get(URI uri, String authorization, String dpop) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Authorization", authorization);
    if (dpop != null) {
      b.header("DPoP", dpop);
    }
    return send(b.GET());
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return Rp.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}

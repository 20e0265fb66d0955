package jp.tsunagu.platform.oidc;

import static jp.tsunagu.platform.oidc.Rp.oauthError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import jp.tsunagu.api.client.OpenidClientsApi;
import jp.tsunagu.api.model.NewOidcClient;
import jp.tsunagu.api.model.NewOidcClient.TokenEndpointAuthMethodEnum;
import jp.tsunagu.api.model.OidcClient;
import jp.tsunagu.platform.security.Tokens;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pushed authorization requests (RFC 9126) through a real relying-party library (Nimbus
 * oauth2-oidc-sdk's {@link PushedAuthorizationRequest}): the client pushes the request with its
 * credentials, the browser brings only client_id and request_uri, and the sign-in continues as any
 * other. Then every way a push or a request_uri can be wrong, answered without writing anything.
 */
class OidcParIT {
  static TestPlatform node;
  static Fixtures fixtures;
  static OIDCProviderMetadata provider;
  static OidcClient client;
  static Rp rp;
  static Rp other;
  static Rp publicClient;
  static Rp pushOnly;
  static String email;
  static final String REDIRECT = "http://127.0.0.1:9/par-callback";

  @BeforeAll
  static void start() throws Exception {
    node = OidcTestNode.start(Map.of());
    fixtures = new Fixtures(node);
    email = fixtures.verifiedCitizen("par@example.jp").email();
    client = OidcTestNode.confidential(node, REDIRECT, null, null);
    rp = new Rp(node.baseUrl(), client.getClientId(), client.getClientSecret(), REDIRECT);
    other = OidcTestNode.confidentialRp(node, REDIRECT);
    OpenidClientsApi api = new OpenidClientsApi(OidcTestNode.admin(node));
    publicClient = OidcTestNode.register(node, api, new NewOidcClient().tokenEndpointAuthMethod(TokenEndpointAuthMethodEnum.NONE)
        .scopes(List.of("openid", "email")), REDIRECT);
    pushOnly = OidcTestNode.register(node, api, new NewOidcClient().scopes(List.of("openid", "email"))
        .requirePushedAuthorizationRequests(true), REDIRECT);
    provider = OIDCProviderMetadata.resolve(new Issuer(node.baseUrl()));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void discoveryNamesTheEndpointAndThatPushingIsOptional() {
    assertEquals(URI.create(node.baseUrl() + "/oauth2/par"), provider.getPushedAuthorizationRequestEndpointURI());
    assertFalse(provider.requiresPushedAuthorizationRequests());
  }

  @Test
  void aPushedRequestSignsTheCitizenInWithTheRequestAsPushed() throws Exception {
    State state = new State();
    Nonce nonce = new Nonce();
    CodeVerifier verifier = new CodeVerifier();
    AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "email"),
        new ClientID(client.getClientId()), URI.create(REDIRECT)).state(state).nonce(nonce)
        .codeChallenge(verifier, CodeChallengeMethod.S256).build();
    PushedAuthorizationResponse pushed = PushedAuthorizationResponse.parse(new PushedAuthorizationRequest(
        provider.getPushedAuthorizationRequestEndpointURI(), auth(), request).toHTTPRequest().send());
    PushedAuthorizationSuccessResponse ok = assertInstanceOf(PushedAuthorizationSuccessResponse.class, pushed);
    assertTrue(ok.getRequestURI().toString().startsWith("urn:ietf:params:oauth:request_uri:"), ok.getRequestURI().toString());
    assertEquals(60, ok.getLifetime());

    // what the browser carries: client_id and request_uri; anything else beside them is not read
    URI front = new AuthenticationRequest.Builder(ok.getRequestURI(), new ClientID(client.getClientId()))
        .endpointURI(provider.getAuthorizationEndpointURI()).build().toURI();
    Browserless browser = new Browserless(node.baseUrl());
    HttpResponse<String> page = browser.authorize(URI.create(front + "&redirect_uri=" + Browserless.enc("http://127.0.0.1:9/elsewhere")
        + "&scope=openid%20address"));
    assertEquals(200, page.statusCode(), page.body());
    HttpResponse<String> after = browser.signIn(page, email, Fixtures.PASSWORD);
    if (after.statusCode() == 200) {
      after = browser.consent(after, true, "email", "address");
    }
    URI back = Browserless.location(after);
    assertTrue(back.toString().startsWith(REDIRECT + "?"), back.toString());
    AuthenticationSuccessResponse success = assertInstanceOf(AuthenticationSuccessResponse.class, AuthenticationResponseParser.parse(back));
    assertEquals(state, success.getState());
    assertEquals(provider.getIssuer(), success.getIssuer());
    TokenResponse tokens = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(), auth(),
        new AuthorizationCodeGrant(success.getAuthorizationCode(), URI.create(REDIRECT), verifier)).toHTTPRequest().send());
    assertTrue(tokens.indicatesSuccess(), () -> tokens.toErrorResponse().getErrorObject().toString());
    OIDCTokenResponse granted = (OIDCTokenResponse) tokens.toSuccessResponse();
    IDTokenClaimsSet claims = new IDTokenValidator(provider.getIssuer(), new ClientID(client.getClientId()), JWSAlgorithm.RS256,
        provider.getJWKSetURI().toURL()).validate(granted.getOIDCTokens().getIDToken(), nonce);
    String scope = com.nimbusds.jwt.SignedJWT.parse(granted.getTokens().getAccessToken().getValue()).getJWTClaimsSet().getStringClaim("scope");
    assertEquals(List.of("email", "openid"), List.of(scope.split(" ")).stream().sorted().toList(), "the scopes as pushed");
    assertTrue(claims.getSubject() != null);

    // the request_uri started one sign-in: bringing it again, even in the same browser, is refused on the error page
    HttpResponse<String> again = browser.authorize(front);
    assertEquals(400, again.statusCode());
    assertTrue(again.headers().firstValue("Location").isEmpty());
  }

  @Test
  void aPublicClientPushesWithItsClientIdAndMustUsePkce() throws Exception {
    String plain = "response_type=code&client_id=" + Browserless.enc(publicClient.clientId) + "&redirect_uri=" + Browserless.enc(REDIRECT)
        + "&scope=openid&state=p1";
    oauthError(push(plain, null), 400, "invalid_request");
    HttpResponse<String> r = push(plain + "&code_challenge=" + Rp.challenge(Tokens.urlToken()) + "&code_challenge_method=S256", null);
    assertEquals(201, r.statusCode(), r.body());
    assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
    HttpResponse<String> page = new Browserless(node.baseUrl()).authorize(URI.create(node.baseUrl() + "/oauth2/authorize?client_id="
        + Browserless.enc(publicClient.clientId) + "&request_uri=" + Browserless.enc(new JsonObject(r.body()).getString("request_uri"))));
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("/sign-in\""), "the sign-in page");
  }

  @Test
  void badPushesAreAnsweredToTheClientAndStoreNothing() throws Exception {
    long before = pushedRows();
    String good = rp.standardQuery(Rp.challenge(Tokens.urlToken()));
    String basic = Rp.basic(rp.clientId, rp.secret);
    oauthError(push(good, null), 401, "invalid_client");
    oauthError(push(good.replace("client_id=" + Browserless.enc(rp.clientId), "client_id=nosuchclient1"), null), 401, "invalid_client");
    oauthError(push(good, Rp.basic(rp.clientId, "wrong-secret")), 401, "invalid_client");
    oauthError(push(good.replace(Browserless.enc(REDIRECT), Browserless.enc("https://evil.example/cb")), basic), 400, "invalid_request");
    oauthError(push(good.replace("&redirect_uri=" + Browserless.enc(REDIRECT), ""), basic), 400, "invalid_request");
    oauthError(push(good.replace("scope=openid%20email", "scope=openid%20admin"), basic), 400, "invalid_scope");
    oauthError(push(good.replace("response_type=code", "response_type=token"), basic), 400, "unsupported_response_type");
    oauthError(push(good + "&request_uri=" + Browserless.enc("urn:ietf:params:oauth:request_uri:x"), basic), 400, "invalid_request");
    oauthError(push(good + "&request=eyJhbGciOiJub25lIn0.e30.", basic), 400, "request_not_supported");
    oauthError(push(good + "&state=twice", basic), 400, "invalid_request");
    oauthError(push(good + "&prompt=none%20login", basic), 400, "invalid_request");
    // the client the body names must be the one that authenticated
    oauthError(push(good.replace("client_id=" + Browserless.enc(rp.clientId), "client_id=" + Browserless.enc(other.clientId)), basic),
        400, "invalid_request");
    oauthError(rp.post("/oauth2/par", "application/json", "{}", basic), 400, "invalid_request");
    assertEquals(before, pushedRows(), "no refused push was stored");
  }

  @Test
  void aRequestUriThatIsUnknownExpiredForeignOrNotOursEndsOnTheErrorPage() throws Exception {
    String uri = pushedUri(rp);
    // another client's request_uri
    assertErrorPage("client_id=" + Browserless.enc(other.clientId) + "&request_uri=" + Browserless.enc(uri));
    // one the provider never gave, and one of another form
    assertErrorPage("client_id=" + Browserless.enc(rp.clientId) + "&request_uri=" + Browserless.enc("urn:ietf:params:oauth:request_uri:"
        + Tokens.urlToken()));
    assertErrorPage("client_id=" + Browserless.enc(rp.clientId) + "&request_uri=" + Browserless.enc("https://127.0.0.1:9/request.jwt"));
    // without client_id
    assertErrorPage("request_uri=" + Browserless.enc(uri));
    // an expired one
    Fixtures.await(node.platform().services().pool().preparedQuery("UPDATE oidc_flow SET expires_at = now() - interval '1 second' "
        + "WHERE request_uri_hash = $1").execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(Tokens.sha256(uri)))));
    assertErrorPage("client_id=" + Browserless.enc(rp.clientId) + "&request_uri=" + Browserless.enc(uri));
    // the foreign attempt above did not use it up: a fresh one of the right client still works
    String fresh = pushedUri(rp);
    assertErrorPage("client_id=" + Browserless.enc(other.clientId) + "&request_uri=" + Browserless.enc(fresh));
    HttpResponse<String> page = new Browserless(node.baseUrl()).authorize(URI.create(rp.authorizeUrl("client_id=" + Browserless.enc(rp.clientId)
        + "&request_uri=" + Browserless.enc(fresh))));
    assertEquals(200, page.statusCode());
  }

  @Test
  void aClientRegisteredToPushCannotStartWithoutIt() throws Exception {
    Browserless browser = new Browserless(node.baseUrl());
    URI location = Browserless.location(browser.authorize(URI.create(pushOnly.authorizeUrl(pushOnly.standardQuery(null)))));
    assertTrue(location.toString().startsWith(REDIRECT + "?"), location.toString());
    Map<String, String> p = Rp.params(location);
    assertEquals("invalid_request", p.get("error"));
    assertEquals("s1", p.get("state"));
    assertEquals(node.baseUrl(), p.get("iss"));
    HttpResponse<String> page = browser.authorize(URI.create(pushOnly.authorizeUrl("client_id=" + Browserless.enc(pushOnly.clientId)
        + "&request_uri=" + Browserless.enc(pushedUri(pushOnly)))));
    assertEquals(200, page.statusCode());
    assertEquals(Boolean.TRUE, new OpenidClientsApi(OidcTestNode.admin(node)).getOidcClient(Fixtures.SHIMADA, pushOnly.clientId)
        .getRequirePushedAuthorizationRequests());
  }

  @Test
  void onlyClientsThatUseTheCodeFlowMayBeRegisteredToPush() throws Exception {
    OpenidClientsApi api = new OpenidClientsApi(OidcTestNode.admin(node));
    jp.tsunagu.api.invoker.ApiException e = org.junit.jupiter.api.Assertions.assertThrows(jp.tsunagu.api.invoker.ApiException.class,
        () -> api.registerOidcClient(Fixtures.SHIMADA, new NewOidcClient().name("バッチ").scopes(List.of("api.read"))
            .grantTypes(List.of(NewOidcClient.GrantTypesEnum.CLIENT_CREDENTIALS)).requirePushedAuthorizationRequests(true)));
    assertEquals(400, e.getCode(), e.getResponseBody());
  }

  private static ClientSecretBasic auth() {
    return new ClientSecretBasic(new ClientID(client.getClientId()), new Secret(client.getClientSecret()));
  }

  private static HttpResponse<String> push(String form, String authorization) throws Exception {
    return rp.post("/oauth2/par", "application/x-www-form-urlencoded", form, authorization);
  }

  private static String pushedUri(Rp client) throws Exception {
    HttpResponse<String> r = client.post("/oauth2/par", "application/x-www-form-urlencoded",
        client.standardQuery(Rp.challenge(Tokens.urlToken())), Rp.basic(client.clientId, client.secret));
    assertEquals(201, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("request_uri");
  }

  private static void assertErrorPage(String query) throws Exception {
    HttpResponse<String> r = new Browserless(node.baseUrl()).get(node.baseUrl() + "/oauth2/authorize?" + query);
    assertEquals(400, r.statusCode(), query);
    assertTrue(r.headers().firstValue("Location").isEmpty(), query);
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
  }

  private static long pushedRows() {
    return Fixtures.await(node.platform().services().pool().query("SELECT count(*) FROM oidc_flow WHERE state = 'pushed'").execute())
        .iterator().next().getLong(0);
  }
}

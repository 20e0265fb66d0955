package jp.tsunagu.platform.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.UserInfoSuccessResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import jp.tsunagu.api.model.OidcClient;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole provider through a real relying-party library (Nimbus oauth2-oidc-sdk): discovery,
 * authorization through the sign-in and consent forms, code exchange with PKCE, ID-token validation
 * against the JWKS, userinfo, refresh with rotation and reuse detection, revocation, RP-initiated
 * logout with a back-channel logout token.
 */
class OidcFlowIT {
  static TestPlatform node;
  static Fixtures fixtures;
  static OIDCProviderMetadata provider;
  static BackchannelReceiver receiver;
  static OidcClient client;
  static final String REDIRECT = "http://127.0.0.1:9/callback";
  static final String LOGGED_OUT = "http://127.0.0.1:9/logged-out";

  @BeforeAll
  static void start() throws Exception {
    node = OidcTestNode.start(Map.of());
    fixtures = new Fixtures(node);
    receiver = new BackchannelReceiver(1);
    client = OidcTestNode.confidential(node, REDIRECT, LOGGED_OUT, receiver.uri());
    provider = OIDCProviderMetadata.resolve(new Issuer(node.baseUrl()));
  }

  @AfterAll
  static void stop() {
    receiver.close();
    node.close();
  }

  record SignedIn(OIDCTokenResponse tokens, IDTokenClaimsSet idToken, Browserless browser) {}

  static ClientAuthentication auth() {
    return new ClientSecretBasic(new ClientID(client.getClientId()), new Secret(client.getClientSecret()));
  }

  static SignedIn signIn(String email) throws Exception {
    Browserless browser = new Browserless(node.baseUrl());
    State state = new State();
    Nonce nonce = new Nonce();
    CodeVerifier verifier = new CodeVerifier();
    AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "profile", "email"),
        new ClientID(client.getClientId()), URI.create(REDIRECT))
        .endpointURI(provider.getAuthorizationEndpointURI()).state(state).nonce(nonce)
        .codeChallenge(verifier, CodeChallengeMethod.S256).build();
    HttpResponse<String> page = browser.authorize(request.toURI());
    assertEquals(200, page.statusCode(), page.body());
    assertTrue(page.body().contains("図書館"), "the sign-in page names the service");
    HttpResponse<String> consent = browser.signIn(page, email, Fixtures.PASSWORD);
    assertTrue(consent.body().contains("data-item=\"email\""), consent.body());
    URI back = Browserless.location(browser.consent(consent, true, "profile", "email"));
    AuthenticationResponse response = AuthenticationResponseParser.parse(back);
    AuthenticationSuccessResponse success = assertInstanceOf(AuthenticationSuccessResponse.class, response, back.toString());
    assertEquals(state, success.getState());
    assertEquals(provider.getIssuer(), success.getIssuer(), "RFC 9207 iss in the authorization response");
    AuthorizationCode code = success.getAuthorizationCode();
    TokenResponse tokens = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(), auth(),
        new AuthorizationCodeGrant(code, URI.create(REDIRECT), verifier)).toHTTPRequest().send());
    assertTrue(tokens.indicatesSuccess(), () -> tokens.toErrorResponse().getErrorObject().toString());
    OIDCTokenResponse ok = (OIDCTokenResponse) tokens.toSuccessResponse();
    IDTokenValidator validator = new IDTokenValidator(provider.getIssuer(), new ClientID(client.getClientId()), JWSAlgorithm.RS256,
        provider.getJWKSetURI().toURL());
    IDTokenClaimsSet claims = validator.validate(ok.getOIDCTokens().getIDToken(), nonce);
    AccessTokenValidator.validate(ok.getOIDCTokens().getAccessToken(), JWSAlgorithm.RS256, claims.getAccessTokenHash());
    return new SignedIn(ok, claims, browser);
  }

  @Test
  void discoveryNamesTheEndpointsAndWhatIsSupported() {
    assertEquals(node.baseUrl(), provider.getIssuer().getValue());
    assertEquals(URI.create(node.baseUrl() + "/oauth2/jwks"), provider.getJWKSetURI());
    assertEquals(java.util.List.of(CodeChallengeMethod.S256), provider.getCodeChallengeMethods());
    assertTrue(provider.supportsAuthorizationResponseIssuerParam());
    assertTrue(provider.supportsBackChannelLogoutSession());
    assertEquals(java.util.List.of(ResponseType.CODE), provider.getResponseTypes());
  }

  @Test
  void signInGivesValidatedTokensPairwiseSubjectAndUserinfo() throws Exception {
    Account citizen = fixtures.verifiedCitizen("flow-" + System.nanoTime() + "@example.jp");
    SignedIn s = signIn(citizen.email());
    IDTokenClaimsSet id = s.idToken();
    assertNotEquals(citizen.id().toString(), id.getSubject().getValue(), "pairwise by default, not the account id");
    assertEquals(Acr.EMAIL, id.getACR().getValue());
    assertNotNull(id.getAuthenticationTime());
    assertNotNull(id.getStringClaim("sid"));
    assertEquals(client.getClientId(), id.getAuthorizedParty().getValue());
    SignedJWT at = (SignedJWT) com.nimbusds.jwt.JWTParser.parse(s.tokens().getOIDCTokens().getAccessToken().getValue());
    assertEquals("at+jwt", at.getHeader().getType().getType());
    assertEquals(client.getClientId(), at.getJWTClaimsSet().getStringClaim("client_id"));
    assertEquals(java.util.List.of(node.baseUrl()), at.getJWTClaimsSet().getAudience());

    UserInfoResponse info = UserInfoResponse.parse(new UserInfoRequest(provider.getUserInfoEndpointURI(),
        s.tokens().getOIDCTokens().getBearerAccessToken()).toHTTPRequest().send());
    UserInfoSuccessResponse user = assertInstanceOf(UserInfoSuccessResponse.class, info);
    assertEquals(id.getSubject(), user.getUserInfo().getSubject());
    assertEquals(citizen.email(), user.getUserInfo().getEmailAddress());
    assertEquals("テスト 市民", user.getUserInfo().getName());

    // a second sign-in of the same citizen: the same pairwise subject, and no consent page (remembered)
    Browserless browser = s.browser();
    AuthenticationRequest again = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "email"),
        new ClientID(client.getClientId()), URI.create(REDIRECT)).endpointURI(provider.getAuthorizationEndpointURI())
        .state(new State()).nonce(new Nonce()).build();
    URI back = Browserless.location(browser.authorize(again.toURI()));
    assertTrue(back.toString().startsWith(REDIRECT + "?code="), back.toString());
  }

  @Test
  void refreshRotatesAndAReusedRefreshTokenRevokesTheFamily() throws Exception {
    SignedIn s = signIn(fixtures.verifiedCitizen("refresh-" + System.nanoTime() + "@example.jp").email());
    RefreshToken first = s.tokens().getOIDCTokens().getRefreshToken();
    OIDCTokenResponse second = refresh(first).toSuccessResponse() instanceof OIDCTokenResponse o ? o : null;
    assertNotNull(second);
    RefreshToken rotated = second.getOIDCTokens().getRefreshToken();
    assertNotEquals(first, rotated);
    // the replaced token comes back: refused, and the whole family with it
    assertEquals("invalid_grant", error(refresh(first)).getCode());
    assertEquals("invalid_grant", error(refresh(rotated)).getCode());
    assertEquals(401, userinfo(second.getOIDCTokens().getAccessToken()).getStatusCode());
  }

  @Test
  void revokingTheRefreshTokenEndsTheGrant() throws Exception {
    SignedIn s = signIn(fixtures.verifiedCitizen("revoke-" + System.nanoTime() + "@example.jp").email());
    RefreshToken rt = s.tokens().getOIDCTokens().getRefreshToken();
    HTTPResponse revoked = new TokenRevocationRequest(provider.getRevocationEndpointURI(), auth(), rt).toHTTPRequest().send();
    assertEquals(200, revoked.getStatusCode());
    assertEquals("invalid_grant", error(refresh(rt)).getCode());
    HTTPResponse info = userinfo(s.tokens().getOIDCTokens().getAccessToken());
    assertEquals(401, info.getStatusCode());
    assertTrue(info.getHeaderValue("WWW-Authenticate").contains("error=\"invalid_token\""));
    // revoking again (already gone) succeeds too
    assertEquals(200, new TokenRevocationRequest(provider.getRevocationEndpointURI(), auth(), rt).toHTTPRequest().send().getStatusCode());
  }

  @Test
  void logoutReturnsToTheServiceAndSendsABackChannelLogoutToken() throws Exception {
    SignedIn s = signIn(fixtures.verifiedCitizen("logout-" + System.nanoTime() + "@example.jp").email());
    State state = new State();
    JWT hint = s.tokens().getOIDCTokens().getIDToken();
    LogoutRequest logout = new LogoutRequest(provider.getEndSessionEndpointURI(), hint, URI.create(LOGGED_OUT), state);
    HttpResponse<String> r = s.browser().get(logout.toURI().toString());
    URI back = Browserless.location(r);
    assertEquals(LOGGED_OUT + "?state=" + state.getValue(), back.toString());
    // the receiver refuses the first delivery; the retry brings it
    String token = receiver.nextFor(s.idToken().getStringClaim("sid"), 30);
    // typed logout tokens required (typ logout+jwt)
    LogoutTokenClaimsSet claims = new LogoutTokenValidator(provider.getIssuer(), new ClientID(client.getClientId()), true,
        new com.nimbusds.jose.proc.JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
            com.nimbusds.jose.jwk.source.JWKSourceBuilder.create(provider.getJWKSetURI().toURL()).build()), null)
        .validate(com.nimbusds.jwt.JWTParser.parse(token));
    assertEquals(s.idToken().getStringClaim("sid"), claims.getSessionID().getValue());
    assertEquals(s.idToken().getSubject(), claims.getSubject());
    // the session's grant is gone, and the browser is signed out of the platform
    assertEquals("invalid_grant", error(refresh(s.tokens().getOIDCTokens().getRefreshToken())).getCode());
    assertEquals(303, s.browser().get("/account").statusCode());
    assertFalse(s.browser().get("/account").headers().firstValue("Location").orElse("").equals("/account"));
  }

  @Test
  void logoutReachesAServiceWhoseGrantWasRevokedBeforeAndOnlyOnce() throws Exception {
    SignedIn s = signIn(fixtures.verifiedCitizen("revoked-then-out-" + System.nanoTime() + "@example.jp").email());
    String sid = s.idToken().getStringClaim("sid");
    // the service revokes its own refresh token (RFC 7009): its grant ends, its sign-in does not
    RefreshToken rt = s.tokens().getOIDCTokens().getRefreshToken();
    assertEquals(200, new TokenRevocationRequest(provider.getRevocationEndpointURI(), auth(), rt).toHTTPRequest().send().getStatusCode());
    LogoutRequest logout = new LogoutRequest(provider.getEndSessionEndpointURI(), s.tokens().getOIDCTokens().getIDToken(),
        URI.create(LOGGED_OUT), new State());
    Browserless.location(s.browser().get(logout.toURI().toString()));
    String token = receiver.nextFor(sid, 30);
    assertEquals(sid, com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("sid"));
    // ending the same session again (a second node, a second tab) queues no second token
    assertEquals(0, Fixtures.await(node.platform().services().oidc().logout().endSession(sid)));
  }

  @Test
  void withoutAHintTheCitizenIsAskedAndSigningOutOfThePlatformLogsOutOfTheServices() throws Exception {
    SignedIn s = signIn(fixtures.verifiedCitizen("confirm-" + System.nanoTime() + "@example.jp").email());
    HttpResponse<String> ask = s.browser().get("/oauth2/logout?client_id=" + client.getClientId() + "&post_logout_redirect_uri="
        + Browserless.enc(LOGGED_OUT) + "&state=st");
    assertEquals(200, ask.statusCode(), ask.body());
    assertTrue(ask.body().contains("action=\"/logout/confirm\""));
    // nothing ended yet
    assertTrue(refresh(s.tokens().getOIDCTokens().getRefreshToken()).indicatesSuccess());
    HttpResponse<String> confirmed = s.browser().post("/logout/confirm", Map.of("csrf", Browserless.csrf(ask)));
    assertEquals(LOGGED_OUT + "?state=st", Browserless.location(confirmed).toString());
    receiver.nextFor(s.idToken().getStringClaim("sid"), 30);

    SignedIn other = signIn(fixtures.verifiedCitizen("platform-out-" + System.nanoTime() + "@example.jp").email());
    HttpResponse<String> account = other.browser().get("/account");
    assertEquals(200, account.statusCode());
    HttpResponse<String> out = other.browser().post("/sign-out", Map.of("csrf", Browserless.csrf(account)));
    assertEquals(303, out.statusCode());
    String token = receiver.nextFor(other.idToken().getStringClaim("sid"), 30);
    assertNotNull(token);
    assertEquals("invalid_grant", error(refresh(other.tokens().getOIDCTokens().getRefreshToken())).getCode());
  }

  static TokenResponse refresh(RefreshToken token) throws Exception {
    return OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(), auth(), new RefreshTokenGrant(token))
        .toHTTPRequest().send());
  }

  static ErrorObject error(TokenResponse r) {
    assertFalse(r.indicatesSuccess(), "expected an error response");
    return ((TokenErrorResponse) r).getErrorObject();
  }

  static HTTPResponse userinfo(AccessToken token) throws Exception {
    return new UserInfoRequest(provider.getUserInfoEndpointURI(), (com.nimbusds.oauth2.sdk.token.BearerAccessToken) token)
        .toHTTPRequest().send();
  }
}

package jp.tsunagu.platform.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/**
 * A relying party (a service) registered by a municipality's staff: how it authenticates, where
 * it may be redirected, what it may ask for and how it knows citizens (pairwise by default). A client
 * that requires pushed requests (RFC 9126) starts sign-ins only with a request_uri it pushed; one
 * registered with DPoP-bound access tokens (RFC 9449 §5.2) gets tokens only with a DPoP proof.
 */
public record Client(String clientId, String tenantCode, String name, String authMethod, byte[] secretHash, JWKSet jwks,
                     List<String> redirectUris, List<String> postLogoutRedirectUris, String backchannelLogoutUri,
                     Set<String> scopes, Set<String> grantTypes, String sectorIdentifier, boolean publicSubject,
                     JWSAlgorithm idTokenAlg, String initiateLoginUri, boolean requirePushedRequests, boolean dpopBound,
                     OffsetDateTime createdAt) {

  public static final String BASIC = "client_secret_basic";
  public static final String POST = "client_secret_post";
  public static final String PRIVATE_KEY_JWT = "private_key_jwt";
  public static final String NONE = "none";

  public static final String AUTHORIZATION_CODE = "authorization_code";
  public static final String REFRESH_TOKEN = "refresh_token";
  public static final String CLIENT_CREDENTIALS = "client_credentials";

  public boolean confidential() {
    return !NONE.equals(authMethod);
  }

  public boolean allows(String grantType) {
    return grantTypes.contains(grantType);
  }

  /** The registration as the staff API shows it (never the secret or its digest). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("clientId", clientId)
        .put("tenantCode", tenantCode)
        .put("name", name)
        .put("tokenEndpointAuthMethod", authMethod)
        .put("redirectUris", new JsonArray(redirectUris))
        .put("postLogoutRedirectUris", new JsonArray(postLogoutRedirectUris))
        .put("scopes", new JsonArray(scopes.stream().sorted().toList()))
        .put("grantTypes", new JsonArray(grantTypes.stream().sorted().toList()))
        .put("sectorIdentifier", sectorIdentifier)
        .put("publicSubject", publicSubject)
        .put("idTokenSignedResponseAlg", idTokenAlg.getName())
        .put("requirePushedAuthorizationRequests", requirePushedRequests)
        .put("dpopBoundAccessTokens", dpopBound)
        .put("createdAt", createdAt.toString());
    if (backchannelLogoutUri != null) {
      json.put("backchannelLogoutUri", backchannelLogoutUri);
    }
    if (initiateLoginUri != null) {
      json.put("initiateLoginUri", initiateLoginUri);
    }
    if (jwks != null) {
      json.put("jwks", new JsonObject(jwks.toJSONObject(true)));
    }
    return json;
  }
}

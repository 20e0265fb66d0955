package jp.tsunagu.platform.oidc;

import static jp.tsunagu.platform.oidc.OidcHandlers.array;

import com.nimbusds.jose.JWSAlgorithm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The provider metadata (OpenID Connect Discovery 1.0 §3, RFC 8414, RFC 9207). */
final class Discovery {
  private Discovery() {}

  static JsonObject document(String issuer, boolean pushRequired) {
    JsonArray authMethods = array(Client.BASIC, Client.POST, Client.PRIVATE_KEY_JWT, Client.NONE);
    JsonArray confidentialMethods = array(Client.BASIC, Client.POST, Client.PRIVATE_KEY_JWT);
    return new JsonObject()
        .put("issuer", issuer)
        .put("authorization_endpoint", issuer + Oidc.AUTHORIZATION_PATH)
        .put("token_endpoint", issuer + Oidc.TOKEN_PATH)
        .put("userinfo_endpoint", issuer + Oidc.USERINFO_PATH)
        .put("jwks_uri", issuer + Oidc.JWKS_PATH)
        .put("revocation_endpoint", issuer + Oidc.REVOCATION_PATH)
        .put("introspection_endpoint", issuer + Oidc.INTROSPECTION_PATH)
        .put("end_session_endpoint", issuer + Oidc.LOGOUT_PATH)
        .put("pushed_authorization_request_endpoint", issuer + Oidc.PAR_PATH)
        .put("require_pushed_authorization_requests", pushRequired)
        .put("scopes_supported", new JsonArray(Scopes.CITIZEN))
        .put("response_types_supported", array("code"))
        .put("response_modes_supported", array("query"))
        .put("grant_types_supported", array(Client.AUTHORIZATION_CODE, Client.REFRESH_TOKEN, Client.CLIENT_CREDENTIALS))
        .put("subject_types_supported", array("pairwise", "public"))
        .put("id_token_signing_alg_values_supported", array("RS256", "ES256"))
        .put("token_endpoint_auth_methods_supported", authMethods)
        .put("token_endpoint_auth_signing_alg_values_supported", array("RS256", "ES256", "PS256"))
        .put("revocation_endpoint_auth_methods_supported", authMethods)
        .put("introspection_endpoint_auth_methods_supported", confidentialMethods)
        .put("code_challenge_methods_supported", array("S256"))
        .put("dpop_signing_alg_values_supported", new JsonArray(DpopProofs.ALGORITHMS.stream().map(JWSAlgorithm::getName).toList()))
        .put("acr_values_supported", new JsonArray(Acr.SUPPORTED))
        .put("prompt_values_supported", array("none", "login", "consent", "select_account"))
        .put("ui_locales_supported", array("ja", "en"))
        .put("claims_supported", array("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "sid", "at_hash",
            "name", "locale", "email", "email_verified", "address", "municipality"))
        .put("claims_parameter_supported", false)
        .put("request_parameter_supported", false)
        // request_uri names a request this provider holds (a pushed one), never one to fetch from elsewhere
        .put("request_uri_parameter_supported", false)
        .put("require_request_uri_registration", false)
        .put("authorization_response_iss_parameter_supported", true)
        .put("backchannel_logout_supported", true)
        .put("backchannel_logout_session_supported", true)
        .put("frontchannel_logout_supported", false);
  }
}

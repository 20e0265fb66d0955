package jp.tsunagu.platform.oidc;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A checked authorization request (OIDC Core §3.1.2.1), as stored with its flow; {@code dpopJkt} is
 * the key its code is bound to (RFC 9449 §10), or null.
 */
public record AuthorizationRequest(String clientId, String redirectUri, Set<String> scopes, String state, String nonce,
                                   String codeChallenge, Set<String> prompt, Integer maxAge, String loginHint,
                                   List<String> uiLocales, List<String> acrValues, String dpopJkt) {

  /** The same request with its code bound to the DPoP key {@code jkt}. */
  AuthorizationRequest boundTo(String jkt) {
    return new AuthorizationRequest(clientId, redirectUri, scopes, state, nonce, codeChallenge, prompt, maxAge, loginHint, uiLocales,
        acrValues, jkt);
  }

  public boolean prompts(String value) {
    return prompt.contains(value);
  }

  public JsonObject toJson() {
    return new JsonObject().put("client_id", clientId).put("redirect_uri", redirectUri).put("scope", new JsonArray(List.copyOf(scopes)))
        .put("state", state).put("nonce", nonce).put("code_challenge", codeChallenge).put("prompt", new JsonArray(List.copyOf(prompt)))
        .put("max_age", maxAge).put("login_hint", loginHint).put("ui_locales", new JsonArray(uiLocales))
        .put("acr_values", new JsonArray(acrValues)).put("dpop_jkt", dpopJkt);
  }

  @SuppressWarnings("unchecked")
  public static AuthorizationRequest fromJson(JsonObject j) {
    return new AuthorizationRequest(j.getString("client_id"), j.getString("redirect_uri"),
        new LinkedHashSet<>((List<String>) j.getJsonArray("scope").getList()), j.getString("state"), j.getString("nonce"),
        j.getString("code_challenge"), new LinkedHashSet<>((List<String>) j.getJsonArray("prompt").getList()), j.getInteger("max_age"),
        j.getString("login_hint"), (List<String>) j.getJsonArray("ui_locales").getList(),
        (List<String>) j.getJsonArray("acr_values").getList(), j.getString("dpop_jkt"));
  }
}

package jp.tsunagu.platform.oidc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the parameters of an authorization request against its client. Problems with the client
 * or the redirect URI end on an error page ({@link InvalidAuthorization}); every later problem is
 * answered by redirect to the checked redirect URI ({@link OAuthError}).
 */
final class AuthorizationParser {
  private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
  private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");
  /** A SHA-256 JWK thumbprint, base64url (RFC 7638). */
  private static final Pattern THUMBPRINT = Pattern.compile("[A-Za-z0-9_-]{43}");

  private AuthorizationParser() {}

  /** The request cannot be answered by redirect: shown to the person on an error page. */
  static final class InvalidAuthorization extends RuntimeException {
    InvalidAuthorization(String description) {
      super(description, null, false, false);
    }
  }

  static String single(Map<String, List<String>> params, String name, boolean trusted) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      if (trusted) {
        throw new InvalidAuthorization("The parameter " + name + " is given more than once");
      }
      throw OAuthError.invalidRequest("The parameter " + name + " is given more than once");
    }
    String v = values.get(0);
    return v.isEmpty() ? null : v;
  }

  /** Step one: which client and where to answer; failures here never redirect. */
  static String redirectUri(Map<String, List<String>> params, Client client) {
    String redirect = single(params, "redirect_uri", true);
    if (redirect == null) {
      throw new InvalidAuthorization("redirect_uri is required");
    }
    if (!client.redirectUris().contains(redirect)) {
      throw new InvalidAuthorization("redirect_uri is not registered for this client");
    }
    return redirect;
  }

  /** Step two: everything else, answered by redirect when wrong. */
  static AuthorizationRequest parse(Map<String, List<String>> params, Client client, String redirect) {
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      if (e.getValue().size() > 1) {
        throw OAuthError.invalidRequest("The parameter " + e.getKey() + " is given more than once");
      }
    }
    if (params.containsKey("request")) {
      throw OAuthError.authorization("request_not_supported", "Request objects are not supported");
    }
    String responseType = single(params, "response_type", false);
    if (responseType == null) {
      throw OAuthError.invalidRequest("response_type is required");
    }
    if (!"code".equals(responseType)) {
      throw OAuthError.unsupportedResponseType("Only the authorization code flow (response_type=code) is supported");
    }
    String mode = single(params, "response_mode", false);
    if (mode != null && !"query".equals(mode)) {
      throw OAuthError.invalidRequest("Only response_mode=query is supported");
    }
    if (!client.allows(Client.AUTHORIZATION_CODE)) {
      throw OAuthError.unauthorizedClient("This client may not use the authorization code flow");
    }
    Set<String> scopes = Scopes.parse(single(params, "scope", false));
    if (scopes == null || scopes.isEmpty()) {
      throw OAuthError.invalidScope("scope is required and must be space-separated scope names");
    }
    if (!client.scopes().containsAll(scopes)) {
      Set<String> extra = new LinkedHashSet<>(scopes);
      extra.removeAll(client.scopes());
      throw OAuthError.invalidScope("Not allowed for this client: " + Scopes.join(extra));
    }
    String challenge = single(params, "code_challenge", false);
    String method = single(params, "code_challenge_method", false);
    if (challenge == null && method != null) {
      throw OAuthError.invalidRequest("code_challenge_method without code_challenge");
    }
    if (challenge != null) {
      if (!"S256".equals(method)) {
        throw OAuthError.invalidRequest("code_challenge_method must be S256");
      }
      if (!CHALLENGE.matcher(challenge).matches()) {
        throw OAuthError.invalidRequest("code_challenge must be 43 to 128 unreserved characters");
      }
    } else if (!client.confidential()) {
      throw OAuthError.invalidRequest("Public clients must use PKCE (code_challenge with S256)");
    }
    Set<String> prompt = new LinkedHashSet<>();
    String promptText = single(params, "prompt", false);
    if (promptText != null) {
      prompt.addAll(Arrays.asList(promptText.trim().split(" +")));
      if (!PROMPTS.containsAll(prompt)) {
        throw OAuthError.invalidRequest("prompt must be some of none, login, consent, select_account");
      }
      if (prompt.contains("none") && prompt.size() > 1) {
        throw OAuthError.invalidRequest("prompt=none cannot be combined with other values");
      }
    }
    Integer maxAge = null;
    String maxAgeText = single(params, "max_age", false);
    if (maxAgeText != null) {
      try {
        maxAge = Integer.parseInt(maxAgeText);
      } catch (NumberFormatException e) {
        maxAge = -1;
      }
      if (maxAge < 0) {
        throw OAuthError.invalidRequest("max_age must be a non-negative whole number of seconds");
      }
    }
    String nonce = single(params, "nonce", false);
    if (nonce != null && nonce.length() > 512) {
      throw OAuthError.invalidRequest("nonce is too long");
    }
    String dpopJkt = single(params, "dpop_jkt", false);
    if (dpopJkt != null && !THUMBPRINT.matcher(dpopJkt).matches()) {
      throw OAuthError.invalidRequest("dpop_jkt must be the base64url SHA-256 thumbprint of a key (RFC 7638)");
    }
    return new AuthorizationRequest(client.clientId(), redirect, scopes, single(params, "state", false), nonce, challenge, prompt,
        maxAge, single(params, "login_hint", false), words(single(params, "ui_locales", false)),
        words(single(params, "acr_values", false)), dpopJkt);
  }

  private static List<String> words(String text) {
    return text == null ? List.of() : new ArrayList<>(Arrays.asList(text.trim().split(" +")));
  }
}

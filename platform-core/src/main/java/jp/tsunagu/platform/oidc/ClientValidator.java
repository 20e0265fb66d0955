package jp.tsunagu.platform.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jp.tsunagu.platform.http.ProblemException;

/**
 * Checks a registration from the staff API and turns it into a {@link Client}: absolute redirect
 * URIs without fragments, https except on loopback (RFC 8252 §7.3, RFC 9700 §2.1), grant types that
 * fit the kind of client, known scopes, a sector identifier that covers every redirect host.
 */
final class ClientValidator {
  private static final Set<String> METHODS = Set.of(Client.BASIC, Client.POST, Client.PRIVATE_KEY_JWT, Client.NONE);
  private static final Set<String> GRANTS = Set.of(Client.AUTHORIZATION_CODE, Client.REFRESH_TOKEN, Client.CLIENT_CREDENTIALS);

  private ClientValidator() {}

  static Client validate(String clientId, String tenantCode, JsonObject b, byte[] secretHash) {
    String name = b.getString("name", "").strip();
    if (name.isEmpty() || name.length() > 100) {
      throw bad("A name of 1 to 100 characters is required");
    }
    String method = b.getString("tokenEndpointAuthMethod", Client.BASIC);
    if (!METHODS.contains(method)) {
      throw bad("tokenEndpointAuthMethod must be one of " + METHODS);
    }
    Set<String> grants = new LinkedHashSet<>(strings(orDefault(b.getJsonArray("grantTypes"), Client.AUTHORIZATION_CODE)));
    if (!GRANTS.containsAll(grants)) {
      throw bad("grantTypes must be some of " + GRANTS);
    }
    if (grants.contains(Client.CLIENT_CREDENTIALS) && Client.NONE.equals(method)) {
      throw bad("A public client cannot use client_credentials");
    }
    if (grants.contains(Client.REFRESH_TOKEN) && !grants.contains(Client.AUTHORIZATION_CODE)) {
      throw bad("refresh_token needs authorization_code");
    }
    List<String> redirects = uris(b.getJsonArray("redirectUris", new JsonArray()), "redirectUris");
    if (grants.contains(Client.AUTHORIZATION_CODE) && redirects.isEmpty()) {
      throw bad("authorization_code needs at least one redirect URI");
    }
    List<String> logoutRedirects = uris(b.getJsonArray("postLogoutRedirectUris", new JsonArray()), "postLogoutRedirectUris");
    String backchannel = b.getString("backchannelLogoutUri");
    if (backchannel != null) {
      uri(backchannel, "backchannelLogoutUri");
    }
    // OIDC Core §4: where the platform sends a citizen who starts linking from the platform's side
    String initiate = b.getString("initiateLoginUri");
    if (initiate != null) {
      uri(initiate, "initiateLoginUri");
    }
    Set<String> scopes = new LinkedHashSet<>(strings(orDefault(b.getJsonArray("scopes"), Scopes.OPENID)));
    for (String s : scopes) {
      if (!Scopes.wellFormed(s)) {
        throw bad("'" + s + "' is not a scope name");
      }
    }
    if (grants.contains(Client.AUTHORIZATION_CODE) && !scopes.contains(Scopes.OPENID)) {
      // a sign-in always gives the service the citizen's subject: it is an item of the citizen's consent
      throw bad("authorization_code needs the scope openid");
    }
    if (b.getBoolean("requirePushedAuthorizationRequests", false) && !grants.contains(Client.AUTHORIZATION_CODE)) {
      throw bad("requirePushedAuthorizationRequests is for clients that use authorization_code");
    }
    String sector = sector(b.getString("sectorIdentifier"), redirects, clientId);
    String alg = b.getString("idTokenSignedResponseAlg", "RS256");
    if (!"RS256".equals(alg) && !"ES256".equals(alg)) {
      throw bad("idTokenSignedResponseAlg must be RS256 or ES256");
    }
    JWKSet jwks = null;
    if (Client.PRIVATE_KEY_JWT.equals(method)) {
      jwks = jwks(b.getJsonObject("jwks"));
    } else if (b.getJsonObject("jwks") != null) {
      throw bad("jwks is only for private_key_jwt");
    }
    return new Client(clientId, tenantCode, name, method, secretHash, jwks, redirects, logoutRedirects, backchannel, scopes, grants,
        sector, b.getBoolean("publicSubject", false), JWSAlgorithm.parse(alg), initiate,
        b.getBoolean("requirePushedAuthorizationRequests", false), b.getBoolean("dpopBoundAccessTokens", false), OffsetDateTime.now());
  }

  /** The sector identifier host (OIDC Core §8.1): given, or the one host all redirect URIs share. */
  private static String sector(String given, List<String> redirects, String clientId) {
    Set<String> hosts = new LinkedHashSet<>();
    redirects.forEach(r -> hosts.add(URI.create(r).getHost()));
    if (given != null && !given.isBlank()) {
      String host = given.strip().toLowerCase(java.util.Locale.ROOT);
      if (!host.matches("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?")) {
        throw bad("sectorIdentifier must be a host name");
      }
      return host;
    }
    if (hosts.isEmpty()) {
      // a service that signs no citizen in (client credentials only) is a sector of its own
      return clientId;
    }
    if (hosts.size() != 1) {
      throw bad("Redirect URIs on several hosts need a sectorIdentifier");
    }
    return hosts.iterator().next();
  }

  private static JWKSet jwks(JsonObject json) {
    if (json == null) {
      throw bad("private_key_jwt needs jwks with the client's public keys");
    }
    try {
      JWKSet set = JWKSet.parse(json.getMap());
      for (JWK k : set.getKeys()) {
        if (k.isPrivate()) {
          throw bad("jwks must hold public keys only");
        }
      }
      if (set.getKeys().isEmpty()) {
        throw bad("jwks holds no keys");
      }
      return set;
    } catch (java.text.ParseException e) {
      throw bad("jwks is not a JWK set: " + e.getMessage());
    }
  }

  private static List<String> uris(JsonArray array, String field) {
    List<String> out = new ArrayList<>();
    for (String s : strings(array)) {
      uri(s, field);
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  private static void uri(String text, String field) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (java.net.URISyntaxException e) {
      throw bad(field + ": '" + text + "' is not a URI");
    }
    if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawFragment() != null) {
      throw bad(field + ": '" + text + "' must be an absolute URI without a fragment");
    }
    boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost()) || "[::1]".equals(uri.getHost());
    if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
      throw bad(field + ": '" + text + "' must use https (http only on loopback)");
    }
  }

  /** An absent or empty list means the default. */
  private static JsonArray orDefault(JsonArray given, String fallback) {
    return given == null || given.isEmpty() ? new JsonArray().add(fallback) : given;
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof String s)) {
        throw bad("Expected strings, got " + o);
      }
      out.add(s);
    }
    return out;
  }

  private static ProblemException bad(String detail) {
    return ProblemException.badRequest("invalid-client-registration", detail);
  }
}

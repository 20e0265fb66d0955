package jp.tsunagu.platform.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.vertx.core.Future;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import jp.tsunagu.platform.ratelimit.RateLimiter;

/**
 * Client authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3,
 * OIDC Core §9): client_secret_basic, client_secret_post, private_key_jwt (RFC 7523, assertion ids
 * single-use) and none for public clients. Exactly one method per request, and only the one the
 * client registered. Failures count against the client id and the caller's address; a full bucket
 * answers 429 before any secret is compared.
 */
public final class ClientAuthenticator {
  public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  private static final Set<JWSAlgorithm> ASSERTION_ALGS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256);

  private final ClientService clients;
  private final GrantRepository grants;
  private final RateLimiter limiter;
  private final RateLimiter.Limit perClient;
  private final RateLimiter.Limit perAddress;
  private final String issuer;
  private final Clock clock;

  ClientAuthenticator(ClientService clients, GrantRepository grants, RateLimiter limiter, int failuresPer15Min, String issuer,
                      Clock clock) {
    this.clients = clients;
    this.grants = grants;
    this.limiter = limiter;
    this.perClient = new RateLimiter.Limit("oidc-client-auth", failuresPer15Min, 900);
    this.perAddress = new RateLimiter.Limit("oidc-client-auth-ip", failuresPer15Min * 5, 900);
    this.issuer = issuer;
    this.clock = clock;
  }

  /** How the client presented itself. */
  private record Presented(String clientId, String method, String secret, String assertion, boolean basic) {}

  /**
   * Authenticates the caller.
   *
   * @param authorization the Authorization header, or null
   * @param p the single-valued form parameters
   * @param endpoint this endpoint's URL (an accepted audience of client assertions)
   */
  public Future<Client> authenticate(String authorization, Map<String, String> p, String endpoint, String address) {
    Presented presented;
    try {
      presented = presented(authorization, p);
    } catch (OAuthError e) {
      return Future.failedFuture(e);
    }
    // both buckets are read at once (two Hazelcast reads in flight, not one after the other)
    return Future.all(limiter.check(perClient, presented.clientId()), limiter.check(perAddress, address))
        .compose(v -> clients.find(presented.clientId()))
        .compose(found -> {
          if (found.isEmpty() || !found.get().authMethod().equals(presented.method())) {
            return failed(presented, address, found.isEmpty() ? "Unknown client" : "The client is registered for "
                + found.get().authMethod());
          }
          Client client = found.get();
          return switch (presented.method()) {
            case Client.BASIC, Client.POST -> ClientService.secretMatches(client, presented.secret())
                ? Future.succeededFuture(client) : failed(presented, address, "Client authentication failed");
            case Client.PRIVATE_KEY_JWT -> assertion(client, presented, endpoint, address);
            default -> Future.succeededFuture(client);
          };
        });
  }

  private Future<Client> assertion(Client client, Presented presented, String endpoint, String address) {
    JWTClaimsSet claims;
    try {
      DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
      processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ASSERTION_ALGS, new ImmutableJWKSet<>(client.jwks())));
      processor.setJWTClaimsSetVerifier((c, ctx) -> {});
      claims = processor.process(SignedJWT.parse(presented.assertion()), null);
    } catch (Exception e) {
      return failed(presented, address, "The client assertion is not signed by the client's registered keys");
    }
    Instant now = clock.instant();
    boolean audience = claims.getAudience().contains(endpoint) || claims.getAudience().contains(issuer);
    if (!client.clientId().equals(claims.getIssuer()) || !client.clientId().equals(claims.getSubject()) || !audience
        || claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().isAfter(now)
        || claims.getExpirationTime().toInstant().isAfter(now.plusSeconds(3600)) || claims.getJWTID() == null) {
      return failed(presented, address, "The client assertion's iss, sub, aud, exp or jti is not acceptable");
    }
    return grants.recordTokenId("assertion:" + client.clientId() + ":" + claims.getJWTID(), claims.getExpirationTime().toInstant())
        .compose(fresh -> fresh ? Future.succeededFuture(client) : failed(presented, address, "The client assertion was used before"));
  }

  private <T> Future<T> failed(Presented presented, String address, String why) {
    return limiter.record(perClient, presented.clientId())
        .compose(v -> limiter.record(perAddress, address))
        .compose(v -> Future.failedFuture(OAuthError.invalidClient(why, presented.basic())));
  }

  private static Presented presented(String authorization, Map<String, String> p) {
    String bodyId = p.get("client_id");
    boolean hasAssertion = p.containsKey("client_assertion") || p.containsKey("client_assertion_type");
    int methods = (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6) ? 1 : 0)
        + (p.containsKey("client_secret") ? 1 : 0) + (hasAssertion ? 1 : 0);
    if (methods > 1) {
      throw OAuthError.invalidRequest("Use exactly one client authentication method");
    }
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      String[] pair = basic(authorization.substring(6).trim());
      if (bodyId != null && !bodyId.equals(pair[0])) {
        throw OAuthError.invalidRequest("client_id differs from the client authenticated");
      }
      return new Presented(pair[0], Client.BASIC, pair[1], null, true);
    }
    if (p.containsKey("client_secret")) {
      if (bodyId == null) {
        throw OAuthError.invalidClient("client_id is required with client_secret", false);
      }
      return new Presented(bodyId, Client.POST, p.get("client_secret"), null, false);
    }
    if (hasAssertion) {
      if (!JWT_BEARER.equals(p.get("client_assertion_type")) || p.get("client_assertion") == null) {
        throw OAuthError.invalidRequest("client_assertion_type must be " + JWT_BEARER + ", with client_assertion");
      }
      String id;
      try {
        id = SignedJWT.parse(p.get("client_assertion")).getJWTClaimsSet().getSubject();
      } catch (Exception e) {
        throw OAuthError.invalidClient("client_assertion is not a signed JWT", false);
      }
      if (id == null || bodyId != null && !bodyId.equals(id)) {
        throw OAuthError.invalidClient("The client assertion's subject does not name the client", false);
      }
      return new Presented(id, Client.PRIVATE_KEY_JWT, null, p.get("client_assertion"), false);
    }
    if (bodyId == null) {
      throw OAuthError.invalidClient("Client authentication is required", false);
    }
    return new Presented(bodyId, Client.NONE, null, null, false);
  }

  private static String[] basic(String encoded) {
    try {
      String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        throw OAuthError.invalidClient("Malformed Basic credentials", true);
      }
      return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
          URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
    } catch (IllegalArgumentException e) {
      throw OAuthError.invalidClient("Malformed Basic credentials", true);
    }
  }
}

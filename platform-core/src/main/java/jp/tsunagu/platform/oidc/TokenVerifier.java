package jp.tsunagu.platform.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks tokens this provider signed: access tokens (RFC 9068 §4: type {@code at+jwt}, our
 * issuer and audience, a published key of the header's algorithm, not expired, not revoked) and
 * ID tokens given back as {@code id_token_hint} (expiry forgiven, as OIDC RP-Initiated Logout allows).
 * Unsigned ({@code alg=none}) and foreign-key tokens fail the signature check.
 */
public final class TokenVerifier {
  private final SigningKeys keys;
  private final GrantRepository grants;
  private final String issuer;
  private final Clock clock;
  private final Map<String, JWSVerifier> verifiers = new ConcurrentHashMap<>();
  private final DpopProofs dpop;

  TokenVerifier(SigningKeys keys, GrantRepository grants, String issuer, Clock clock, DpopProofs dpop) {
    this.dpop = dpop;
    this.keys = keys;
    this.grants = grants;
    this.issuer = issuer;
    this.clock = clock;
  }

  /** A valid, live access token's claims, or a failed future with {@code invalid_token}. */
  public Future<JWTClaimsSet> access(String token) {
    return unknownKey(token) ? keys.refresh().compose(v -> checkAccess(token)) : checkAccess(token);
  }

  /**
   * An access token as a resource receives it (RFC 9449 §7): a token bound to a key (cnf.jkt) only
   * with the DPoP scheme and a proof of that key for this request, an unbound one only as Bearer.
   *
   * @param dpopScheme whether the Authorization header's scheme was DPoP
   * @param proofs the request's DPoP headers
   * @param htu the request's URL under the provider's public address, without query
   */
  public Future<JWTClaimsSet> presented(String token, boolean dpopScheme, java.util.List<String> proofs, String htm, String htu) {
    return access(token).compose(claims -> {
      String jkt = jkt(claims);
      if (!dpopScheme) {
        return jkt == null ? Future.succeededFuture(claims)
            : Future.failedFuture(OAuthError.invalidTokenForDpop("This access token is bound to a key: send it with the DPoP scheme and a proof"));
      }
      if (jkt == null) {
        return Future.failedFuture(OAuthError.invalidTokenForDpop("This access token is not bound to a key: send it as a Bearer token"));
      }
      if (proofs.size() != 1) {
        return Future.failedFuture(OAuthError.invalidDpopProofAtResource("Send exactly one DPoP proof"));
      }
      return dpop.check(proofs.get(0), htm, htu, token)
          .recover(err -> Future.failedFuture(err instanceof DpopProofs.BadProof b ? OAuthError.invalidDpopProofAtResource(b.getMessage()) : err))
          .compose(proven -> proven.equals(jkt) ? Future.succeededFuture(claims)
              : Future.failedFuture(OAuthError.invalidDpopProofAtResource("The DPoP proof is signed by another key than the token is bound to")));
    });
  }

  /** The access token of an Authorization header with the DPoP scheme (RFC 9449 §7.1), or null for any other header. */
  public static String dpopToken(String authorization) {
    return authorization != null && authorization.regionMatches(true, 0, "DPoP ", 0, 5) && authorization.length() > 5
        ? authorization.substring(5).strip() : null;
  }

  /** The thumbprint a DPoP-bound token is bound to, or null. */
  static String jkt(JWTClaimsSet claims) {
    try {
      Map<String, Object> cnf = claims.getJSONObjectClaim("cnf");
      return cnf != null && cnf.get("jkt") instanceof String j ? j : null;
    } catch (java.text.ParseException e) {
      return null;
    }
  }

  public String issuer() {
    return issuer;
  }

  /** A key id this node has not loaded yet: another node may have just stored it (the event may still be on its way). */
  private boolean unknownKey(String token) {
    try {
      String kid = SignedJWT.parse(token).getHeader().getKeyID();
      return kid != null && keys.current().byKid(kid).isEmpty();
    } catch (java.text.ParseException e) {
      return false;
    }
  }

  private Future<JWTClaimsSet> checkAccess(String token) {
    JWTClaimsSet claims;
    try {
      claims = signed(token, TokenService.ACCESS_TOKEN_TYPE);
    } catch (OAuthError e) {
      return Future.failedFuture(e);
    }
    Instant now = clock.instant();
    if (claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().isAfter(now)) {
      return Future.failedFuture(OAuthError.invalidToken("The access token has expired"));
    }
    if (!claims.getAudience().contains(issuer) || claims.getJWTID() == null) {
      return Future.failedFuture(OAuthError.invalidToken("The access token is not for this provider"));
    }
    UUID grant = grantOf(claims).orElse(null);
    return grants.accessTokenLive(grant, claims.getJWTID())
        .compose(live -> live ? Future.succeededFuture(claims) : Future.failedFuture(OAuthError.invalidToken("The access token has been revoked")));
  }

  /** An ID token we issued (possibly expired), for logout; empty when it is not ours. */
  public Optional<JWTClaimsSet> idTokenHint(String token) {
    try {
      return Optional.of(signed(token, JOSEObjectType.JWT));
    } catch (OAuthError e) {
      return Optional.empty();
    }
  }

  static Optional<UUID> grantOf(JWTClaimsSet claims) {
    Object gid = claims.getClaim("gid");
    try {
      return gid == null ? Optional.empty() : Optional.of(UUID.fromString(gid.toString()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private JWTClaimsSet signed(String token, JOSEObjectType type) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (java.text.ParseException e) {
      throw OAuthError.invalidToken("The token is not a signed JWT");
    }
    if (!type.equals(jwt.getHeader().getType())) {
      throw OAuthError.invalidToken("The token is not of type " + type);
    }
    String kid = jwt.getHeader().getKeyID();
    KeySet.Key key = kid == null ? null : keys.current().byKid(kid).orElse(null);
    if (key == null || !key.alg().equals(jwt.getHeader().getAlgorithm())) {
      throw OAuthError.invalidToken("The token is not signed by a key of this provider");
    }
    try {
      if (!jwt.verify(verifiers.computeIfAbsent(kid, k -> verifier(key)))) {
        throw OAuthError.invalidToken("The token's signature is not valid");
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      if (!issuer.equals(claims.getIssuer())) {
        throw OAuthError.invalidToken("The token is from another issuer");
      }
      return claims;
    } catch (JOSEException | java.text.ParseException e) {
      throw OAuthError.invalidToken("The token's signature is not valid");
    }
  }

  private JWSVerifier verifier(KeySet.Key key) {
    try {
      return keys.signatures().verifier(key.jwk().toPublicJWK());
    } catch (JOSEException e) {
      throw new IllegalStateException("unusable key " + key.kid(), e);
    }
  }
}

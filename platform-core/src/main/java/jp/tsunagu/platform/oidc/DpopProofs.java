package jp.tsunagu.platform.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import jp.tsunagu.platform.security.Tokens;

/**
 * Checks DPoP proofs (RFC 9449 §4.3): a JWT of type {@code dpop+jwt}, signed with an asymmetric
 * algorithm by the public key in its own header, naming the request's method ({@code htm}) and URL
 * without query or fragment ({@code htu}), issued within the last minute ({@code iat}), used once
 * ({@code jti}, remembered as long as a proof could pass the time check) and, at a resource, bound to
 * the access token it comes with ({@code ath}). The answer is the key's SHA-256 JWK thumbprint (RFC
 * 7638), which a DPoP-bound token carries as {@code cnf.jkt}.
 */
final class DpopProofs {
  static final JOSEObjectType TYPE = new JOSEObjectType("dpop+jwt");
  static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256, JWSAlgorithm.PS256);
  static final String ALGORITHM_NAMES = String.join(" ", ALGORITHMS.stream().map(JWSAlgorithm::getName).toList());
  /** How old a proof may be, and how far ahead of this node's clock its iat may lie. */
  static final Duration PAST = Duration.ofSeconds(60);
  static final Duration FUTURE = Duration.ofSeconds(10);
  private static final Set<JWSAlgorithm> ALLOWED = Set.copyOf(ALGORITHMS);
  private static final int MAX_PROOF_CHARS = 8192;

  private final GrantRepository grants;
  private final Clock clock;
  private final SignatureProvider signatures;

  /** @param signatures where ES256 and RS256 proofs are verified (natively where the provider's own signatures are) */
  DpopProofs(GrantRepository grants, Clock clock, SignatureProvider signatures) {
    this.grants = grants;
    this.clock = clock;
    this.signatures = signatures;
  }

  /** A proof that is not acceptable; the caller answers it in its endpoint's error format. */
  static final class BadProof extends RuntimeException {
    BadProof(String description) {
      super(description, null, false, false);
    }
  }

  /**
   * The thumbprint of the key that signed {@code proof} for this request, once the proof passes every
   * check; fails with {@link BadProof} otherwise.
   *
   * @param htu the request's URL as the provider's public address names it, without query
   * @param accessToken the access token presented with the proof at a resource, or null at the token endpoint
   */
  Future<String> check(String proof, String htm, String htu, String accessToken) {
    try {
      SignedJWT jwt = parse(proof);
      JWSHeader header = jwt.getHeader();
      JWK key = header.getJWK();
      verify(jwt, key);
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      String jti = claims.getJWTID();
      if (jti == null || jti.isEmpty() || jti.length() > 256) {
        throw new BadProof("The DPoP proof needs a jti");
      }
      if (!htm.equals(claims.getClaim("htm"))) {
        throw new BadProof("The DPoP proof's htm is not this request's method");
      }
      if (!(claims.getClaim("htu") instanceof String u) || !sameTarget(u, htu)) {
        throw new BadProof("The DPoP proof's htu is not this endpoint");
      }
      Date iat = claims.getIssueTime();
      Instant now = clock.instant();
      if (iat == null || iat.toInstant().isBefore(now.minus(PAST)) || iat.toInstant().isAfter(now.plus(FUTURE))) {
        throw new BadProof("The DPoP proof's iat is missing or not within a minute of now");
      }
      Object ath = claims.getClaim("ath");
      if (accessToken != null && !(ath instanceof String a && a.equals(tokenHash(accessToken)))) {
        throw new BadProof("The DPoP proof's ath is not the hash of the access token sent with it");
      }
      String jkt = key.computeThumbprint("SHA-256").toString();
      // remembered until a proof of that iat could no longer pass the time check
      return grants.recordTokenId("dpop:" + jkt + ":" + jti, iat.toInstant().plus(PAST).plus(FUTURE))
          .compose(fresh -> fresh ? Future.succeededFuture(jkt) : Future.failedFuture(new BadProof("The DPoP proof was used before")));
    } catch (BadProof e) {
      return Future.failedFuture(e);
    } catch (Exception e) {
      return Future.failedFuture(new BadProof("The DPoP proof is not a well-formed JWT"));
    }
  }

  /** The ath of an access token: base64url of its SHA-256 (RFC 9449 §4.2). */
  static String tokenHash(String accessToken) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Tokens.sha256(accessToken));
  }

  private static SignedJWT parse(String proof) throws java.text.ParseException {
    if (proof == null || proof.isEmpty() || proof.length() > MAX_PROOF_CHARS) {
      throw new BadProof("The DPoP proof is missing or too long");
    }
    SignedJWT jwt = SignedJWT.parse(proof);
    JWSHeader header = jwt.getHeader();
    if (!TYPE.equals(header.getType())) {
      throw new BadProof("The DPoP proof's typ must be dpop+jwt");
    }
    if (!ALLOWED.contains(header.getAlgorithm())) {
      throw new BadProof("The DPoP proof's alg must be one of " + ALGORITHM_NAMES);
    }
    return jwt;
  }

  private void verify(SignedJWT jwt, JWK key) throws Exception {
    if (key == null || key.isPrivate()) {
      throw new BadProof("The DPoP proof's header must carry the public key (jwk) that signed it");
    }
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    JWSVerifier verifier;
    if (key instanceof ECKey ec && JWSAlgorithm.ES256.equals(alg) && Curve.P_256.equals(ec.getCurve())) {
      verifier = signatures.verifier(ec);
    } else if (key instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(alg)) {
      if (rsa.size() < 2048) {
        throw new BadProof("The DPoP proof's RSA key must have at least 2048 bits");
      }
      // PS256 on the JDK's provider, RS256 where the provider's own signatures are
      verifier = JWSAlgorithm.RS256.equals(alg) ? signatures.verifier(rsa) : new RSASSAVerifier(rsa);
    } else {
      throw new BadProof("The DPoP proof's key does not fit its alg");
    }
    if (!jwt.verify(verifier)) {
      throw new BadProof("The DPoP proof's signature does not verify with the key in its header");
    }
  }

  /** RFC 9449 §4.3 (9): the URIs compared without query and fragment, scheme and host case-insensitively. */
  private static boolean sameTarget(String presented, String expected) {
    try {
      URI a = URI.create(presented).normalize();
      URI b = URI.create(expected).normalize();
      return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
          && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b) && a.getRawPath().equals(b.getRawPath());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static int port(URI u) {
    return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }
}

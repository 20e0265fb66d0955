package jp.tsunagu.consent.jose;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.util.Set;

/**
 * Verifies a platform-signed JWT of one {@code typ}: signature by one of the platform's
 * verification keys, accepted algorithm, exact issuer and the required claims.
 */
public final class JwsVerifier {
  private final SigningKeySource keys;
  private final JOSEObjectType type;
  private final String issuer;
  private final Set<String> requiredClaims;

  public JwsVerifier(SigningKeySource keys, JOSEObjectType type, String issuer, Set<String> requiredClaims) {
    this.keys = keys;
    this.type = type;
    this.issuer = issuer;
    this.requiredClaims = Set.copyOf(requiredClaims);
  }

  /** The verified claims; throws {@link VerificationException} for anything not genuine. */
  public JWTClaimsSet verify(String jws) {
    var processor = new DefaultJWTProcessor<SecurityContext>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(type));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
        JwsIssuer.ACCEPTED_ALGORITHMS, new ImmutableJWKSet<>(keys.verificationKeys())));
    processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
        new JWTClaimsSet.Builder().issuer(issuer).build(), requiredClaims));
    try {
      return processor.process(jws, null);
    } catch (Exception e) {
      throw new VerificationException(e.getMessage());
    }
  }

  /** The token is forged, altered, malformed, of the wrong type or from another issuer. */
  public static final class VerificationException extends RuntimeException {
    public VerificationException(String message) {
      super(message, null, false, false);
    }
  }
}

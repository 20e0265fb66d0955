package jp.tsunagu.consent.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Set;

/** Signs JWTs as the platform ({@code iss}) with the platform's current key. */
public final class JwsIssuer {
  /** Algorithms the platform signs with and accepts; never "none" nor HMAC. */
  public static final Set<JWSAlgorithm> ACCEPTED_ALGORITHMS =
      Set.of(JWSAlgorithm.ES256, JWSAlgorithm.PS256, JWSAlgorithm.RS256);

  private final SigningKeySource keys;
  private final String issuer;

  public JwsIssuer(SigningKeySource keys, String issuer) {
    this.keys = keys;
    this.issuer = issuer;
  }

  public String issuer() {
    return issuer;
  }

  public SigningKeySource keys() {
    return keys;
  }

  /** Signs {@code claims} (to which {@code iss} is added) with header {@code typ}. */
  public String sign(JOSEObjectType type, JWTClaimsSet claims) {
    JWK key = keys.currentSigningKey();
    try {
      JWSAlgorithm alg = algorithmFor(key);
      JWSHeader header = new JWSHeader.Builder(alg).type(type).keyID(key.getKeyID()).build();
      JWTClaimsSet withIssuer = new JWTClaimsSet.Builder(claims).issuer(issuer).build();
      SignedJWT jwt = new SignedJWT(header, withIssuer);
      jwt.sign(signerFor(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed with key " + key.getKeyID(), e);
    }
  }

  private static JWSAlgorithm algorithmFor(JWK key) {
    if (key.getAlgorithm() instanceof JWSAlgorithm alg && ACCEPTED_ALGORITHMS.contains(alg)) {
      return alg;
    }
    if (key instanceof ECKey) {
      return JWSAlgorithm.ES256;
    }
    if (key instanceof RSAKey) {
      return JWSAlgorithm.PS256;
    }
    throw new IllegalStateException("unsupported signing key type " + key.getKeyType());
  }

  private static JWSSigner signerFor(JWK key) throws JOSEException {
    if (key instanceof ECKey ec) {
      return new ECDSASigner(ec);
    }
    if (key instanceof RSAKey rsa) {
      return new RSASSASigner(rsa);
    }
    throw new JOSEException("unsupported signing key type " + key.getKeyType());
  }
}

package jp.tsunagu.consent.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.util.List;
import java.util.UUID;

/** A fixed key (and optional retired keys); for tests, benchmarks and single-key setups. */
public final class StaticSigningKeySource implements SigningKeySource {
  private final JWK signingKey;
  private final JWKSet verificationKeys;

  public StaticSigningKeySource(JWK signingKey, List<JWK> retiredPublicKeys) {
    if (signingKey.getKeyID() == null || !signingKey.isPrivate()) {
      throw new IllegalArgumentException("signing key needs a kid and its private part");
    }
    this.signingKey = signingKey;
    var keys = new java.util.ArrayList<JWK>();
    keys.add(signingKey.toPublicJWK());
    retiredPublicKeys.forEach(k -> keys.add(k.toPublicJWK()));
    this.verificationKeys = new JWKSet(keys);
  }

  /** A fresh P-256 key; key generation blocks, so call it off the event loop. */
  public static StaticSigningKeySource generateEc() {
    try {
      JWK key = new ECKeyGenerator(Curve.P_256)
          .keyID(UUID.randomUUID().toString())
          .keyUse(KeyUse.SIGNATURE)
          .generate();
      return new StaticSigningKeySource(key, List.of());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public JWK currentSigningKey() {
    return signingKey;
  }

  @Override
  public JWKSet verificationKeys() {
    return verificationKeys;
  }
}

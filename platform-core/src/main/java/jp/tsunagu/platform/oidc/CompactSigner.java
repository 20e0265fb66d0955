package jp.tsunagu.platform.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jwt.JWTClaimsSet;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs this provider's JWTs with one key in the JWS compact serialization (RFC 7515 §7.1),
 * doing per key what does not change from token to token once: the protected header of each
 * token type is encoded once, and each thread keeps a JCA {@link Signature} initialised with the
 * key (a signature object returns to that state after every {@code sign()}), so a token costs one
 * JSON encoding of its claims, one signature and three base64url encodings. The output is an
 * ordinary signed JWT that any JOSE library verifies (the tests verify them with Nimbus).
 */
final class CompactSigner {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final JWSAlgorithm alg;
  private final String kid;
  private final Map<JOSEObjectType, String> headers = new ConcurrentHashMap<>();
  private final ThreadLocal<Signature> signatures;

  CompactSigner(JWSAlgorithm alg, String kid, PrivateKey key, Provider provider) {
    if (!JWSAlgorithm.RS256.equals(alg) && !JWSAlgorithm.ES256.equals(alg)) {
      throw new IllegalArgumentException("unsupported signing algorithm " + alg);
    }
    this.alg = alg;
    this.kid = kid;
    String jca = JWSAlgorithm.RS256.equals(alg) ? "SHA256withRSA" : "SHA256withECDSA";
    this.signatures = ThreadLocal.withInitial(() -> {
      try {
        Signature s = provider == null ? Signature.getInstance(jca) : Signature.getInstance(jca, provider);
        s.initSign(key);
        return s;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot sign with key " + kid, e);
      }
    });
    sign(JOSEObjectType.JWT, new JWTClaimsSet.Builder().build()); // fails here, at once, if the key is unusable
  }

  String sign(JOSEObjectType type, JWTClaimsSet claims) {
    return sign(type, Json.encode(claims.toJSONObject()).getBytes(StandardCharsets.UTF_8));
  }

  /** Signs a claims set already written as UTF-8 JSON (see {@link Claims}). */
  String sign(JOSEObjectType type, byte[] claimsJson) {
    String header = headers.computeIfAbsent(type, t -> B64.encodeToString(
        new JWSHeader.Builder(alg).keyID(kid).type(t).build().toString().getBytes(StandardCharsets.UTF_8)));
    String input = header + '.' + B64.encodeToString(claimsJson);
    try {
      Signature s = signatures.get();
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      byte[] signature = s.sign();
      if (JWSAlgorithm.ES256.equals(alg)) {
        signature = ECDSA.transcodeSignatureToConcat(signature, 64); // JWS wants R ‖ S, not DER (RFC 7518 §3.4)
      }
      return input + '.' + B64.encodeToString(signature);
    } catch (GeneralSecurityException | com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException("signing with key " + kid + " failed", e);
    }
  }
}

package jp.tsunagu.platform.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tokens from {@link CompactSigner} are ordinary signed JWTs: Nimbus parses and verifies them with
 * the public key, for RS256 and ES256, with the native provider and with the JDK's, and a token
 * changed after signing fails.
 */
class CompactSignerTest {
  static final JWTClaimsSet CLAIMS = new JWTClaimsSet.Builder().issuer("https://id.example").subject("s-1").audience("client-1")
      .issueTime(Date.from(Instant.ofEpochSecond(1_800_000_000L))).expirationTime(Date.from(Instant.ofEpochSecond(1_800_000_300L)))
      .claim("scope", "openid email").claim("amr", List.of("pwd")).claim("名前", "テスト").build();

  @Test
  void rs256TokensVerifyWithTheirPublicKeyOnBothProviders() throws Exception {
    RSAKey jwk = new RSAKeyGenerator(2048).keyID("rs-1").generate();
    for (boolean nativeWanted : new boolean[] {true, false}) {
      String token = SignatureProvider.choose(nativeWanted).compactSigner(key(jwk, JWSAlgorithm.RS256))
          .sign(TokenService.ACCESS_TOKEN_TYPE, CLAIMS);
      SignedJWT jwt = SignedJWT.parse(token);
      assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
      assertEquals("rs-1", jwt.getHeader().getKeyID());
      assertEquals(TokenService.ACCESS_TOKEN_TYPE, jwt.getHeader().getType());
      assertTrue(jwt.verify(new RSASSAVerifier(jwk.toRSAPublicKey())));
      assertEquals(CLAIMS.toJSONObject(), jwt.getJWTClaimsSet().toJSONObject());
      assertFalse(SignedJWT.parse(tamper(token)).verify(new RSASSAVerifier(jwk.toRSAPublicKey())));
    }
  }

  @Test
  void es256TokensVerifyWithTheirPublicKeyOnBothProviders() throws Exception {
    ECKey jwk = new ECKeyGenerator(Curve.P_256).keyID("es-1").generate();
    for (boolean nativeWanted : new boolean[] {true, false}) {
      CompactSigner signer = SignatureProvider.choose(nativeWanted).compactSigner(key(jwk, JWSAlgorithm.ES256));
      for (int i = 0; i < 20; i++) { // the same signature object, reused; ECDSA signatures differ each time
        String token = signer.sign(JOSEObjectType.JWT, CLAIMS);
        SignedJWT jwt = SignedJWT.parse(token);
        assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
        assertEquals(JOSEObjectType.JWT, jwt.getHeader().getType());
        assertTrue(jwt.verify(new ECDSAVerifier(jwk.toECPublicKey())), token);
      }
      assertFalse(SignedJWT.parse(tamper(signer.sign(JOSEObjectType.JWT, CLAIMS))).verify(new ECDSAVerifier(jwk.toECPublicKey())));
    }
  }

  @Test
  void claimsWrittenAsJsonDirectlyAreTheClaimsSetNimbusReads() throws Exception {
    RSAKey jwk = new RSAKeyGenerator(2048).keyID("rs-2").generate();
    CompactSigner signer = SignatureProvider.choose(true).compactSigner(key(jwk, JWSAlgorithm.RS256));
    String awkward = "n\"o\\n\u0001ce ✓ 𠮷";
    byte[] json = new Claims().put("iss", "https://id.example").put("sub", "s-1").put("aud", "client-1")
        .time("iat", Instant.ofEpochSecond(1_800_000_000L)).time("exp", Instant.ofEpochSecond(1_800_000_300L))
        .put("scope", "openid email").put("amr", List.of("pwd")).put("名前", "テスト").put("nonce", awkward)
        .put("sid", (String) null).put("auth_time", 1_799_999_999L).json();
    SignedJWT jwt = SignedJWT.parse(signer.sign(JOSEObjectType.JWT, json));
    assertTrue(jwt.verify(new RSASSAVerifier(jwk.toRSAPublicKey())));
    JWTClaimsSet expected = new JWTClaimsSet.Builder(CLAIMS).claim("nonce", awkward).claim("auth_time", 1_799_999_999L).build();
    assertEquals(expected.toJSONObject(), jwt.getJWTClaimsSet().toJSONObject());
    assertEquals(List.of("client-1"), jwt.getJWTClaimsSet().getAudience());
    assertEquals(null, jwt.getJWTClaimsSet().getClaim("sid"), "a null claim is left out");
  }

  private static KeySet.Key key(JWK jwk, JWSAlgorithm alg) {
    return new KeySet.Key(jwk.getKeyID(), alg, jwk, Instant.EPOCH, Instant.EPOCH);
  }

  /** The same token with one character of the payload changed. */
  private static String tamper(String token) {
    int dot = token.indexOf('.') + 3;
    char c = token.charAt(dot);
    return token.substring(0, dot) + (c == 'A' ? 'B' : 'A') + token.substring(dot + 1);
  }
}

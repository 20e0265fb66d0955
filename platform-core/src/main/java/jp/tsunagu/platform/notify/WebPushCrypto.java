package jp.tsunagu.platform.notify;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Message encryption for Web Push (RFC 8291, content coding aes128gcm of RFC 8188): an ephemeral
 * P-256 key agreed with the browser's key, HKDF with the browser's authentication secret, one
 * AES-128-GCM record carrying the sender's public key in its header. CPU work: callers run it on
 * a worker pool.
 *
 * <p>The elliptic-curve steps use Bouncy Castle's P-256 arithmetic (its fixed-base comb for the
 * ephemeral key, its curve-specific field for the agreement): about 2.5 times the JDK's
 * {@code KeyPairGenerator} + {@code KeyAgreement}, whose agreement re-validates the browser's key
 * with a full scalar multiplication each time. The browser's point is still checked to be on the
 * curve, and every message gets a fresh ephemeral key, used once.
 */
public final class WebPushCrypto {
  static final int RECORD_SIZE = 4096;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ECParameterSpec P256 = p256();
  private static final org.bouncycastle.asn1.x9.X9ECParameters CURVE =
      org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp256r1");
  private static final org.bouncycastle.math.ec.FixedPointCombMultiplier BASE = new org.bouncycastle.math.ec.FixedPointCombMultiplier();
  private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> instance(() -> Mac.getInstance("HmacSHA256")));
  private static final ThreadLocal<Cipher> AES_GCM = ThreadLocal.withInitial(() -> instance(() -> Cipher.getInstance("AES/GCM/NoPadding")));

  private WebPushCrypto() {}

  /** The aes128gcm body for the browser's public key (65 bytes, uncompressed) and secret (16 bytes). */
  public static byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret) {
    if (plaintext.length > RECORD_SIZE - 16 - 1 - 86) {
      throw new IllegalArgumentException("push payload too large");
    }
    try {
      org.bouncycastle.math.ec.ECPoint browser;
      try {
        browser = CURVE.getCurve().decodePoint(uaPublic); // refuses what is not a point of the curve
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("not a point of P-256", e);
      }
      BigInteger d = ephemeralScalar();
      byte[] asPublic = BASE.multiply(CURVE.getG(), d).normalize().getEncoded(false);
      org.bouncycastle.math.ec.ECPoint shared = browser.multiply(d).normalize();
      if (shared.isInfinity()) {
        throw new IllegalArgumentException("degenerate key agreement");
      }
      byte[] ecdhSecret = shared.getAffineXCoord().getEncoded();
      byte[] salt = new byte[16];
      RANDOM.nextBytes(salt);
      byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPublic, asPublic);
      byte[] ikm = hkdf(authSecret, ecdhSecret, keyInfo, 32);
      byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
      byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
      Cipher cipher = AES_GCM.get();
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
      byte[] padded = Arrays.copyOf(plaintext, plaintext.length + 1);
      padded[plaintext.length] = 2; // delimiter of the last (only) record
      byte[] ciphertext = cipher.doFinal(padded);
      return ByteBuffer.allocate(16 + 4 + 1 + asPublic.length + ciphertext.length)
          .put(salt).putInt(RECORD_SIZE).put((byte) asPublic.length).put(asPublic).put(ciphertext).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("push encryption failed", e);
    }
  }

  /** A uniform scalar in [1, n). */
  private static BigInteger ephemeralScalar() {
    BigInteger n = CURVE.getN();
    BigInteger d;
    do {
      d = new BigInteger(n.bitLength(), RANDOM);
    } while (d.signum() == 0 || d.compareTo(n) >= 0);
    return d;
  }

  private interface Factory<T> {
    T make() throws GeneralSecurityException;
  }

  private static <T> T instance(Factory<T> factory) {
    try {
      return factory.make();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** HKDF-SHA-256 (RFC 5869) with a single expansion block. */
  static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws GeneralSecurityException {
    Mac mac = HMAC.get();
    mac.init(new SecretKeySpec(salt, "HmacSHA256"));
    byte[] prk = mac.doFinal(ikm);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    mac.update(info);
    mac.update((byte) 1);
    return Arrays.copyOf(mac.doFinal(), length);
  }

  /** The uncompressed point of a P-256 key (0x04 || X || Y). */
  public static byte[] encode(ECPublicKey key) {
    byte[] out = new byte[65];
    out[0] = 4;
    copy32(key.getW().getAffineX(), out, 1);
    copy32(key.getW().getAffineY(), out, 33);
    return out;
  }

  /** A P-256 public key from its uncompressed point; refuses anything that is not a point of the curve. */
  public static ECPublicKey decode(byte[] point) {
    if (point == null || point.length != 65 || point[0] != 4) {
      throw new IllegalArgumentException("not an uncompressed P-256 point");
    }
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 33));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 33, 65));
    BigInteger p = ((java.security.spec.ECFieldFp) P256.getCurve().getField()).getP();
    BigInteger a = P256.getCurve().getA();
    BigInteger b = P256.getCurve().getB();
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0
        || !y.modPow(BigInteger.TWO, p).equals(x.pow(3).add(a.multiply(x)).add(b).mod(p))) {
      throw new IllegalArgumentException("not a point of P-256");
    }
    try {
      return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a P-256 public key", e);
    }
  }

  static ECParameterSpec curve() {
    return P256;
  }

  private static void copy32(BigInteger v, byte[] out, int at) {
    byte[] raw = v.toByteArray();
    int len = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - len, out, at + 32 - len, len);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec("secp256r1"));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}

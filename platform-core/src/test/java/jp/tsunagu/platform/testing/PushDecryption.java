package jp.tsunagu.platform.testing;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** What a browser does with a Web Push message (RFC 8291 §3.4 over RFC 8188 aes128gcm), for test push peers. */
public final class PushDecryption {
  private PushDecryption() {}

  /** The plaintext of a single-record message, for the browser key {@code d} (private scalar) with public point {@code uaPublic}. */
  public static String decrypt(byte[] message, byte[] d, byte[] uaPublic, byte[] auth) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(message);
    byte[] salt = new byte[16];
    b.get(salt);
    b.getInt(); // record size
    byte[] asPublic = new byte[b.get()];
    b.get(asPublic);
    byte[] ciphertext = new byte[b.remaining()];
    b.get(ciphertext);
    ECParameterSpec p256 = p256();
    PrivateKey mine = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(new BigInteger(1, d), p256));
    KeyAgreement ka = KeyAgreement.getInstance("ECDH");
    ka.init(mine);
    ka.doPhase(point(asPublic, p256), true);
    byte[] ecdh = ka.generateSecret();
    byte[] keyInfo = ByteBuffer.allocate(14 + 65 + 65).put("WebPush: info\0".getBytes(StandardCharsets.US_ASCII))
        .put(uaPublic).put(asPublic).array();
    byte[] ikm = hkdf(auth, ecdh, keyInfo, 32);
    byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
    byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
    byte[] padded = c.doFinal(ciphertext);
    int end = padded.length - 1;
    while (padded[end] == 0) {
      end--;
    }
    if (padded[end] != 2) {
      throw new IllegalArgumentException("not the last record");
    }
    return new String(padded, 0, end, StandardCharsets.UTF_8);
  }

  private static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(salt, "HmacSHA256"));
    byte[] prk = mac.doFinal(ikm);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    mac.update(info);
    mac.update((byte) 1);
    return Arrays.copyOf(mac.doFinal(), length);
  }

  private static PublicKey point(byte[] p, ECParameterSpec spec) throws Exception {
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(new BigInteger(1, Arrays.copyOfRange(p, 1, 33)),
        new BigInteger(1, Arrays.copyOfRange(p, 33, 65))), spec));
  }

  private static ECParameterSpec p256() throws Exception {
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec("secp256r1"));
    return params.getParameterSpec(ECParameterSpec.class);
  }
}

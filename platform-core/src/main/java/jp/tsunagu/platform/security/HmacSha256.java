package jp.tsunagu.platform.security;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 under one secret, one initialised MAC per thread ({@code doFinal} leaves it ready for the next input). */
public final class HmacSha256 {
  private HmacSha256() {}

  public static ThreadLocal<Mac> perThread(byte[] secret) {
    SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA256");
    return ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 unavailable", e);
      }
    });
  }
}

package jp.tsunagu.platform.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook delivery: {@code Tsunagu-Signature: v1=<hex HMAC-SHA256(secret,
 * timestamp + "." + body)>} with the Unix time in {@code Tsunagu-Timestamp}. A receiver recomputes
 * it over the raw body, compares in constant time and refuses timestamps outside its replay
 * window (we suggest 5 minutes), deduplicating by {@code Idempotency-Key}.
 */
public final class WebhookSignature {
  public static final String SIGNATURE = "Tsunagu-Signature";
  public static final String TIMESTAMP = "Tsunagu-Timestamp";
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private WebhookSignature() {}

  public static String sign(byte[] secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True when the signature is right and the timestamp within {@code windowSeconds} of {@code nowSeconds}. */
  public static boolean verify(byte[] secret, String timestamp, String signature, byte[] body, long nowSeconds, long windowSeconds) {
    long ts;
    try {
      ts = Long.parseLong(timestamp);
    } catch (NumberFormatException | NullPointerException e) {
      return false;
    }
    if (Math.abs(nowSeconds - ts) > windowSeconds || signature == null) {
      return false;
    }
    return MessageDigest.isEqual(sign(secret, ts, body).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII));
  }
}

package jp.tsunagu.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Random one-time tokens and codes, stored only as SHA-256 digests. */
public final class Tokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Letters and digits that cannot be confused on paper (no 0/O, 1/I/L, 5/S, 2/Z, 8/B). */
  private static final char[] CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679".toCharArray();

  private Tokens() {}

  /** A URL-safe token with 256 bits of entropy. */
  public static String urlToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A residence code of 12 symbols (about 55 bits) printed as XXXX-XXXX-XXXX. */
  public static String residenceCode() {
    StringBuilder out = new StringBuilder(14);
    for (int i = 0; i < 12; i++) {
      if (i > 0 && i % 4 == 0) {
        out.append('-');
      }
      out.append(CODE_ALPHABET[RANDOM.nextInt(CODE_ALPHABET.length)]);
    }
    return out.toString();
  }

  /** Normalises what a person typed: upper case, no spaces or hyphens, full width folded. */
  public static String normaliseCode(String typed) {
    String folded = java.text.Normalizer.normalize(typed, java.text.Normalizer.Form.NFKC);
    return folded.toUpperCase(java.util.Locale.ROOT).replaceAll("[\\s\\-ー－]", "");
  }

  /** One SHA-256 per thread: {@code digest} leaves it reset for the next text. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  public static byte[] sha256(String text) {
    return SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
  }
}

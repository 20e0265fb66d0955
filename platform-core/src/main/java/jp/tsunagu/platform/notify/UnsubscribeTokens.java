package jp.tsunagu.platform.notify;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token of a notice mail's unsubscribe link: the account id and a MAC over it under a key
 * every node shares (kept in {@code platform_secret}), so any mail's link works on any node, for
 * as long as the key stays, without a row per mail.
 */
final class UnsubscribeTokens {
  private static final int MAC_BYTES = 16;
  private final SecretKeySpec key;

  UnsubscribeTokens(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  String issue(UUID accountId) {
    byte[] id = bytes(accountId);
    ByteBuffer out = ByteBuffer.allocate(16 + MAC_BYTES).put(id).put(mac(id));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
  }

  /** The account a token names, if the token is genuine. */
  Optional<UUID> verify(String token) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(token == null ? "" : token.strip());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (raw.length != 16 + MAC_BYTES) {
      return Optional.empty();
    }
    byte[] id = Arrays.copyOf(raw, 16);
    if (!MessageDigest.isEqual(mac(id), Arrays.copyOfRange(raw, 16, raw.length))) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(id);
    return Optional.of(new UUID(b.getLong(), b.getLong()));
  }

  private byte[] mac(byte[] id) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update("unsubscribe:".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return Arrays.copyOf(mac.doFinal(id), MAC_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(UUID id) {
    return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
  }
}

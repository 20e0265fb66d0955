package jp.tsunagu.platform.oidc;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;

/**
 * Refresh tokens that name their family: a version byte, the grant's id, the token's generation
 * within the grant, and an HMAC-SHA256 of the three under a platform secret, base64url without
 * padding (71 characters). The grant row keeps only the generation of its one live token, so a
 * rotation is one in-place update of the grant and a code exchange writes no token row; any
 * earlier generation presented again is recognised by its MAC as a replay of the family. Nothing
 * in the database is a token or enough to make one: without the secret a grant id and a
 * generation give nothing.
 *
 * <p>Refresh tokens issued before this format are 43-character random values kept as SHA-256
 * digests in {@code oidc_refresh_token}; {@link #read} tells them apart by their length.
 */
public final class RefreshTokens {
  private static final byte VERSION = 1;
  private static final int MAC_BYTES = 32;
  private static final int BYTES = 1 + 16 + 4 + MAC_BYTES;
  /** The length of a token in this format. */
  static final int LENGTH = (BYTES * 8 + 5) / 6;

  /** What a well-formed token with a valid MAC names. */
  record Presented(UUID grantId, int generation) {}

  private final ThreadLocal<Mac> macs;

  public RefreshTokens(byte[] secret) {
    if (secret.length < 32) {
      throw new IllegalArgumentException("the refresh-token secret must have at least 256 bits");
    }
    this.macs = jp.tsunagu.platform.security.HmacSha256.perThread(secret);
  }

  /** The token of generation {@code generation} of the grant {@code grantId}. */
  public String issue(UUID grantId, int generation) {
    if (generation < 0) {
      throw new IllegalArgumentException("generation " + generation);
    }
    ByteBuffer b = ByteBuffer.allocate(BYTES);
    b.put(VERSION).putLong(grantId.getMostSignificantBits()).putLong(grantId.getLeastSignificantBits()).putInt(generation);
    Mac mac = macs.get();
    mac.update(b.array(), 0, BYTES - MAC_BYTES);
    b.put(mac.doFinal());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /** The grant and generation a token names, if it is one of this format with a valid MAC; empty for anything else. */
  Optional<Presented> read(String token) {
    if (token == null || token.length() != LENGTH) {
      return Optional.empty();
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (raw.length != BYTES || raw[0] != VERSION) {
      return Optional.empty();
    }
    Mac mac = macs.get();
    mac.update(raw, 0, BYTES - MAC_BYTES);
    byte[] expected = mac.doFinal();
    byte[] given = java.util.Arrays.copyOfRange(raw, BYTES - MAC_BYTES, BYTES);
    if (!MessageDigest.isEqual(expected, given)) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(raw, 1, 20);
    UUID grant = new UUID(b.getLong(), b.getLong());
    int generation = b.getInt();
    return generation < 0 ? Optional.empty() : Optional.of(new Presented(grant, generation));
  }

  /** Whether a token could be one of this format (its length), without checking it. */
  static boolean hasFormat(String token) {
    return token != null && token.length() == LENGTH;
  }
}

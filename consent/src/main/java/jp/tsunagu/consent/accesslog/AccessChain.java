package jp.tsunagu.consent.accesslog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The chain's hash function. An entry's hash is SHA-256 over the previous hash followed by each
 * field, every field length-prefixed (4-byte big-endian length, then UTF-8), in this order:
 * citizen, seq, tenant, service, kind, items (count, then each, sorted), purpose, consent id (empty
 * if none), time (ISO-8601 UTC, microsecond precision). Length prefixes make the encoding
 * unambiguous, so no two different entries hash the same input.
 */
public final class AccessChain {
  public static final int HASH_LENGTH = 32;
  private static final byte[] GENESIS = new byte[HASH_LENGTH];

  private AccessChain() {}

  public static byte[] genesis() {
    return GENESIS.clone();
  }

  public static byte[] hash(byte[] prevHash, String citizenId, long seq, String tenantId, String serviceId,
      AccessKind kind, List<String> sortedItems, String purpose, Optional<UUID> consentId, Instant occurredAt) {
    var out = new ByteArrayOutputStream(256);
    out.writeBytes(prevHash);
    field(out, citizenId);
    field(out, Long.toString(seq));
    field(out, tenantId);
    field(out, serviceId);
    field(out, kind.dbValue());
    field(out, Integer.toString(sortedItems.size()));
    sortedItems.forEach(item -> field(out, item));
    field(out, purpose);
    field(out, consentId.map(UUID::toString).orElse(""));
    field(out, occurredAt.toString());
    return sha256(out.toByteArray());
  }

  /** The hash {@code entry} should carry given its predecessor's hash. */
  public static byte[] expectedHash(AccessLogEntry e, byte[] prevHash) {
    return hash(prevHash, e.citizenId(), e.seq(), e.tenantId(), e.serviceId(), e.kind(), e.items(),
        e.purpose(), e.consentId(), e.occurredAt());
  }

  public static boolean same(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes == null ? new byte[0] : Arrays.copyOf(bytes, bytes.length));
  }

  private static void field(ByteArrayOutputStream out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    int n = bytes.length;
    out.write(n >>> 24);
    out.write(n >>> 16);
    out.write(n >>> 8);
    out.write(n);
    out.writeBytes(bytes);
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

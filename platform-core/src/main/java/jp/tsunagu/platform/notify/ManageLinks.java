package jp.tsunagu.platform.notify;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jp.tsunagu.platform.http.ProblemException;

/**
 * The "manage your notices" link in every notice mail: lets the reader change what they get
 * without signing in. The token names the account and its expiry (14 days) under a MAC that only
 * this purpose uses (a manage token opens nothing else, an unsubscribe token is no manage token),
 * so issuing one writes nothing; using one records its digest, so each works once. Opening the
 * link changes nothing (mail scanners open links); only the page's form uses it up.
 */
public final class ManageLinks {
  static final Duration LIFETIME = Duration.ofDays(14);
  private static final int MAC_BYTES = 16;
  private static final byte[] PURPOSE = "manage-notices:".getBytes(StandardCharsets.US_ASCII);

  private final Pool pool;
  private final SecretKeySpec key;
  private final String publicUrl;
  private final Clock clock;

  ManageLinks(Pool pool, byte[] key, String publicUrl, Clock clock) {
    this.pool = pool;
    this.key = new SecretKeySpec(key, "HmacSHA256");
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  /** The link for an account's mail. */
  String link(UUID accountId) {
    return publicUrl + "/notices/manage?token=" + issue(accountId, clock.instant().plus(LIFETIME));
  }

  String issue(UUID accountId, Instant expires) {
    ByteBuffer body = ByteBuffer.allocate(24).putLong(accountId.getMostSignificantBits())
        .putLong(accountId.getLeastSignificantBits()).putLong(expires.getEpochSecond());
    byte[] signed = ByteBuffer.allocate(24 + MAC_BYTES).put(body.array()).put(mac(body.array())).array();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
  }

  /** The account a genuine, unexpired token names (whether used or not). */
  public Optional<UUID> peek(String token) {
    return parse(token).filter(t -> t.expires().isAfter(clock.instant())).map(Parsed::account);
  }

  /** Uses a token up: the account, or 410 when the token is not genuine, has expired or was used. */
  public Future<UUID> use(String token) {
    Optional<Parsed> parsed = parse(token).filter(t -> t.expires().isAfter(clock.instant()));
    if (parsed.isEmpty()) {
      return Future.failedFuture(ProblemException.gone("invalid-token", "This link is invalid, used or expired"));
    }
    Parsed t = parsed.get();
    return pool.preparedQuery("INSERT INTO notice_manage_token_use (digest, account_id, expires_at) VALUES ($1, $2, $3) "
            + "ON CONFLICT (digest) DO NOTHING")
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(digest(token)), t.account(), t.expires().atOffset(ZoneOffset.UTC)))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture(t.account())
            : Future.failedFuture(ProblemException.gone("invalid-token", "This link is invalid, used or expired")));
  }

  /** Forgets the uses of tokens that have expired anyway. */
  Future<Integer> purge() {
    return pool.query("DELETE FROM notice_manage_token_use WHERE expires_at < now()").execute().map(r -> r.rowCount());
  }

  private record Parsed(UUID account, Instant expires) {}

  private Optional<Parsed> parse(String token) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(token == null ? "" : token.strip());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (raw.length != 24 + MAC_BYTES) {
      return Optional.empty();
    }
    byte[] body = Arrays.copyOf(raw, 24);
    if (!MessageDigest.isEqual(mac(body), Arrays.copyOfRange(raw, 24, raw.length))) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(body);
    return Optional.of(new Parsed(new UUID(b.getLong(), b.getLong()), Instant.ofEpochSecond(b.getLong())));
  }

  private byte[] mac(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(PURPOSE);
      return Arrays.copyOf(mac.doFinal(body), MAC_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.strip().getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}

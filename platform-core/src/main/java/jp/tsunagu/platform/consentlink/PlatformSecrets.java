package jp.tsunagu.platform.consentlink;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.function.Supplier;

/**
 * Secrets the platform makes itself, kept in {@code core.platform_secret} so every node shares
 * them: the first node to start creates a value, every other node reads the same one.
 */
public final class PlatformSecrets {
  private final Pool pool;

  public PlatformSecrets(Pool pool) {
    this.pool = pool;
  }

  /** The value under {@code name}, created with {@code create} if none exists yet. */
  public Future<byte[]> getOrCreate(String name, Supplier<byte[]> create) {
    return pool.preparedQuery("INSERT INTO platform_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .execute(Tuple.of(name, Buffer.buffer(create.get())))
        .compose(r -> pool.preparedQuery("SELECT value FROM platform_secret WHERE name = $1").execute(Tuple.of(name)))
        .map(rows -> rows.iterator().next().getBuffer(0).getBytes());
  }
}

package jp.tsunagu.platform.consentlink;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.function.Supplier;
import jp.tsunagu.platform.config.TsunaguConfig;
import jp.tsunagu.platform.oidc.KeySealer;

/**
 * Secrets the platform makes itself (the consent-signing key, the pairwise-subject key, the VAPID
 * key, the unsubscribe-link key), kept in {@code core.platform_secret} so every node shares them:
 * the first node to start creates a value, every other node reads the same one. With a
 * key-encryption key configured they are sealed (AES-256-GCM, the secret's name as associated
 * data); a secret stored unsealed before a key was configured is sealed on first read.
 */
public final class PlatformSecrets {
  private final Pool pool;
  private final KeySealer sealer;

  public PlatformSecrets(Pool pool, KeySealer sealer) {
    this.pool = pool;
    this.sealer = sealer;
  }

  /** Secrets sealed with the configured {@code security.keyEncryptionKey}, if any. */
  public static PlatformSecrets of(Pool pool, TsunaguConfig config) {
    return new PlatformSecrets(pool, new KeySealer(config.get(TsunaguConfig.KEY_ENCRYPTION_KEY)));
  }

  /** The value under {@code name}, created with {@code create} if none exists yet. */
  public Future<byte[]> getOrCreate(String name, Supplier<byte[]> create) {
    return pool.preparedQuery("INSERT INTO platform_secret (name, value, sealed) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
        .execute(Tuple.of(name, Buffer.buffer(sealer.seal(name, create.get())), sealer.sealing()))
        .compose(r -> pool.preparedQuery("SELECT value, sealed FROM platform_secret WHERE name = $1").execute(Tuple.of(name)))
        .compose(rows -> {
          Row row = rows.iterator().next();
          boolean sealed = row.getBoolean("sealed");
          byte[] plain = sealer.open(name, row.getBuffer("value").getBytes(), sealed);
          if (sealed || !sealer.sealing()) {
            return Future.succeededFuture(plain);
          }
          return pool.preparedQuery("UPDATE platform_secret SET value = $2, sealed = true WHERE name = $1 AND NOT sealed")
              .execute(Tuple.of(name, Buffer.buffer(sealer.seal(name, plain)))).map(plain);
        });
  }
}

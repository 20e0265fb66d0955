package jp.tsunagu.platform.consentlink;

import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagu.platform.oidc.KeySealer;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The platform's own secrets in PostgreSQL under a key-encryption key: sealed when created, sealed
 * on first read when they were stored before a key was configured, unreadable without the key.
 */
class PlatformSecretsIT {
  static final String KEY = key();
  static TestPlatform node;
  static Pool pool;

  static String key() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  @BeforeAll
  static void start() {
    node = TestPlatform.start(Map.of("security.keyEncryptionKey", KEY));
    pool = node.platform().services().pool();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static Row row(String name) {
    return await(pool.preparedQuery("SELECT value, sealed FROM platform_secret WHERE name = $1").execute(Tuple.of(name))).iterator().next();
  }

  @Test
  void everySecretThePlatformMadeIsSealed() {
    var rows = await(pool.query("SELECT name, sealed, value FROM platform_secret").execute());
    assertTrue(rows.size() >= 4, "consent signing, pairwise, VAPID, unsubscribe and CSRF keys");
    for (Row r : rows) {
      assertTrue(r.getBoolean("sealed"), r.getString("name"));
    }
    String consentKey = new String(row("consent.signing-key").getBuffer("value").getBytes(), StandardCharsets.ISO_8859_1);
    assertFalse(consentKey.contains("\"kty\""), "the stored consent key is not readable JSON");
  }

  @Test
  void aSecretIsSealedWhenMadeAndReadBackByAnyNodeWithTheKey() {
    AtomicInteger made = new AtomicInteger();
    byte[] plain = "a secret of 32 bytes, more or less".getBytes(StandardCharsets.UTF_8);
    PlatformSecrets one = new PlatformSecrets(pool, new KeySealer(KEY));
    PlatformSecrets other = new PlatformSecrets(pool, new KeySealer(KEY));
    assertArrayEquals(plain, await(one.getOrCreate("test.made", () -> {
      made.incrementAndGet();
      return plain;
    })));
    assertArrayEquals(plain, await(other.getOrCreate("test.made", () -> "another".getBytes(StandardCharsets.UTF_8))),
        "the value the first node made wins");
    assertTrue(row("test.made").getBoolean("sealed"));
    assertFalse(java.util.Arrays.equals(plain, row("test.made").getBuffer("value").getBytes()));
    Throwable e = assertThrows(IllegalStateException.class, () -> await(new PlatformSecrets(pool, new KeySealer(""))
        .getOrCreate("test.made", () -> plain)));
    assertTrue(e.getMessage().contains("keyEncryptionKey"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> await(new PlatformSecrets(pool, new KeySealer(key()))
        .getOrCreate("test.made", () -> plain)), "another key opens nothing");
  }

  @Test
  void aSecretStoredBeforeAKeyWasConfiguredIsSealedOnFirstRead() {
    byte[] plain = "stored in the clear by an older deployment".getBytes(StandardCharsets.UTF_8);
    await(new PlatformSecrets(pool, new KeySealer("")).getOrCreate("test.legacy", () -> plain));
    assertFalse(row("test.legacy").getBoolean("sealed"));
    assertArrayEquals(plain, await(new PlatformSecrets(pool, new KeySealer(KEY)).getOrCreate("test.legacy", () -> new byte[1])));
    assertTrue(row("test.legacy").getBoolean("sealed"));
    assertArrayEquals(plain, await(new PlatformSecrets(pool, new KeySealer(KEY)).getOrCreate("test.legacy", () -> new byte[1])));
    assertEquals(1, await(pool.preparedQuery("SELECT count(*) FROM platform_secret WHERE name = $1").execute(Tuple.of("test.legacy")))
        .iterator().next().getLong(0));
  }
}

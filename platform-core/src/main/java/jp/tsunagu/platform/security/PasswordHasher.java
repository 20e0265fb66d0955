package jp.tsunagu.platform.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.ratelimit.BoundedWorkers;

/**
 * Argon2id password hashing (RFC 9106) in the PHC string format
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>}. Hashing runs on its own worker
 * pool, never on an event loop. Stored hashes keep their own parameters, so raising the cost later
 * re-hashes on the next successful sign-in ({@link #needsRehash}). The hash itself is {@link Argon2id}, which keeps its
 * memory per worker thread instead of allocating it for every hash.
 */
public final class PasswordHasher {
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final WorkerExecutor workers;
  private final int memoryKib;
  private final int iterations;
  private final int parallelism;
  private final SecureRandom random = new SecureRandom();
  private final String dummyHash;
  private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
  private Counter cpuSeconds;
  private Counter hashes;
  /** The password workers, with their queue bounded once {@link #withQueueLimit} is called. */
  private BoundedWorkers queue;
  private static final String BUSY = "password-busy";

  public PasswordHasher(WorkerExecutor workers, int memoryKib, int iterations, int parallelism) {
    this.workers = workers;
    this.queue = new BoundedWorkers(workers, Integer.MAX_VALUE, PasswordHasher::refusal);
    this.memoryKib = memoryKib;
    this.iterations = iterations;
    this.parallelism = parallelism;
    // Same parameters as real hashes, so checking a password against it costs the same time.
    byte[] salt = new byte[SALT_BYTES];
    byte[] hash = new byte[HASH_BYTES];
    random.nextBytes(salt);
    random.nextBytes(hash);
    this.dummyHash = "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  /**
   * Publishes tsunagu.password.hash.cpu (CPU seconds spent hashing) and tsunagu.password.hashes,
   * so an operator can see which share of a node's CPU goes into password hashing.
   */
  public PasswordHasher withMetrics(MeterRegistry registry) {
    this.cpuSeconds = Counter.builder("tsunagu.password.hash.cpu").baseUnit("seconds")
        .description("CPU time spent in Argon2id hashing").register(registry);
    this.hashes = Counter.builder("tsunagu.password.hashes").description("Argon2id computations").register(registry);
    return this;
  }

  /**
   * Bounds the password workers' queue: with {@code limit} hashes and checks running or waiting,
   * one more is refused at once (503 {@code password-busy}, Retry-After) rather than queued behind
   * them, so a flood of sign-ins cannot make every sign-in wait without bound.
   */
  public PasswordHasher withQueueLimit(int limit) {
    this.queue = new BoundedWorkers(workers, limit, PasswordHasher::refusal);
    return this;
  }

  private static ProblemException refusal() {
    return ProblemException.busy(BUSY, "Sign-in busy", "Too many password checks are waiting on this node; try again in a moment", 1);
  }

  /** Whether a hash or check was refused because the password workers' queue was full. */
  public static boolean busy(Throwable err) {
    return err instanceof ProblemException p && p.status() == 503 && BUSY.equals(p.type());
  }

  /** Hashes and checks accepted and not yet done on this node. */
  int accepted() {
    return queue.accepted();
  }

  public String parameters() {
    return "argon2id m=" + memoryKib + " KiB, t=" + iterations + ", p=" + parallelism;
  }

  public Future<String> hash(String password) {
    return queue.submit(() -> measured(() -> hashBlocking(password)));
  }

  /** Verifies a password; a null stored hash is checked against a dummy so timing reveals nothing. */
  public Future<Boolean> verify(String password, String storedHash) {
    String target = storedHash == null ? dummyHash : storedHash;
    return queue.submit(() -> measured(() -> verifyBlocking(password, target)) && storedHash != null);
  }

  private <T> T measured(java.util.function.Supplier<T> work) {
    long before = THREADS.getCurrentThreadCpuTime();
    try {
      return work.get();
    } finally {
      if (cpuSeconds != null) {
        cpuSeconds.increment((THREADS.getCurrentThreadCpuTime() - before) / 1e9);
        hashes.increment();
      }
    }
  }

  public boolean needsRehash(String storedHash) {
    return storedHash == null
        || !storedHash.startsWith("$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$");
  }

  public String hashBlocking(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, memoryKib, iterations, parallelism, HASH_BYTES);
    return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  public static boolean verifyBlocking(String password, String phc) {
    String[] parts = phc.split("\\$");
    // ["", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash]
    if (parts.length != 6 || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) {
      return false;
    }
    int m = 0;
    int t = 0;
    int p = 0;
    for (String kv : parts[3].split(",")) {
      String[] pair = kv.split("=", 2);
      if (pair.length != 2) {
        return false;
      }
      int value = Integer.parseInt(pair[1]);
      switch (pair[0]) {
        case "m" -> m = value;
        case "t" -> t = value;
        case "p" -> p = value;
        default -> {
          return false;
        }
      }
    }
    byte[] salt = B64D.decode(parts[4]);
    byte[] expected = B64D.decode(parts[5]);
    byte[] actual = derive(password, salt, m, t, p, expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] derive(String password, byte[] salt, int m, int t, int p, int length) {
    return Argon2id.hash(password.getBytes(StandardCharsets.UTF_8), salt, m, t, p, length);
  }
}

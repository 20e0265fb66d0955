package jp.tsunagu.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.platform.Platform;
import jp.tsunagu.platform.config.TsunaguConfig;
import jp.tsunagu.platform.db.Database;

/**
 * Starts real platform nodes for tests: a fresh PostgreSQL database, HTTP on a free port, and a
 * Hazelcast member on loopback in a cluster of its own (several nodes of one test share it).
 */
public final class TestPlatform implements AutoCloseable {
  private final Platform platform;

  private TestPlatform(Platform platform) {
    this.platform = platform;
  }

  /** Settings for a cluster of test nodes sharing one database. */
  public static final class Cluster {
    final Database database = TestDatabase.fresh();
    final String name = "test-" + UUID.randomUUID();
    final Map<Integer, Integer> ports = new HashMap<>();

    /** The database the cluster's nodes share. */
    public Database database() {
      return database;
    }
  }

  public static TestPlatform start() {
    return start(new Cluster(), Map.of());
  }

  public static TestPlatform start(Map<String, String> overrides) {
    return start(new Cluster(), overrides);
  }

  /** Starts one node of a cluster; nodes started with the same {@link Cluster} join each other. */
  public static TestPlatform start(Cluster cluster, Map<String, String> overrides) {
    int port = freePort();
    StringBuilder members = new StringBuilder();
    synchronized (cluster.ports) {
      cluster.ports.values().forEach(p -> members.append(members.isEmpty() ? "" : ",").append("127.0.0.1:").append(p));
      cluster.ports.put(cluster.ports.size(), port);
    }
    Database db = cluster.database;
    Map<String, String> settings = new HashMap<>();
    settings.put("http.port", "0");
    settings.put("http.host", "127.0.0.1");
    settings.put("http.instances", "2");
    settings.put("db.url", "postgresql://" + db.user() + "@" + db.host() + ":" + db.port() + "/" + db.database());
    settings.put("db.poolSize", "4");
    settings.put("cluster.name", cluster.name);
    settings.put("cluster.port", String.valueOf(port));
    settings.put("cluster.members", members.toString());
    // Cheaper Argon2id than production (19 MiB, 2 passes): same code path, a fraction of the CPU;
    // PasswordHasherTest covers the hashing itself.
    settings.put("security.argon2MemoryKib", "4096");
    settings.put("security.argon2Iterations", "1");
    // every node keeps its own search index: a fresh folder unless the test names one (to restart a node on it)
    settings.put("search.dataDir", tempDir("tsunagu-search-").toString());
    settings.put("search.workers", "2");
    settings.putAll(overrides);
    TsunaguConfig config = TsunaguConfig.of(settings, Map.of());
    try {
      Platform p = Platform.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      return new TestPlatform(p);
    } catch (Exception e) {
      throw new IllegalStateException("platform did not start", e);
    }
  }

  public Platform platform() {
    return platform;
  }

  public int port() {
    return platform.port();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** A generated API client with its own cookie jar (one browser-like session). */
  public ApiClient client() {
    ApiClient client = new ApiClient();
    client.updateBaseUri(baseUrl());
    client.setHttpClientBuilder(HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()));
    return client;
  }

  @Override
  public void close() {
    try {
      platform.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("platform did not stop", e);
    }
  }

  /** A new temporary folder (removed by the operating system's temp cleaning, not by the test). */
  public static java.nio.file.Path tempDir(String prefix) {
    try {
      return java.nio.file.Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

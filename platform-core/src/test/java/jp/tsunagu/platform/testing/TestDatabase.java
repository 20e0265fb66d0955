package jp.tsunagu.platform.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagu.platform.db.Database;

/**
 * A real PostgreSQL for tests: one embedded server per test JVM (or the server in
 * TSUNAGU_TEST_DB_URL), and a fresh, empty database for every caller of {@link #fresh()}.
 */
public final class TestDatabase {
  /** System property: when true, the embedded server's commits wait for the WAL flush (synchronous_commit=on). */
  public static final String DURABLE_COMMITS = "tsunagu.test.durableCommits";
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestDatabase() {}

  /** A new empty database; production migrations are applied by the platform at start. */
  public static synchronized Database fresh() {
    Database admin = admin();
    String name = "tsunagu_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    try (Connection c = java.sql.DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password());
         Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database", e);
    }
    return new Database(admin.host(), admin.port(), name, admin.user(), admin.password());
  }

  private static Database admin() {
    String url = System.getenv("TSUNAGU_TEST_DB_URL");
    if (url != null && !url.isBlank()) {
      return Database.fromUrl(url);
    }
    if (server == null) {
      try {
        // tests run with the embedded server's default synchronous_commit=off; benchmarks ask for
        // commits that wait for the WAL flush, as a production server's do
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setServerConfig("max_connections", "300")
            .setServerConfig("synchronous_commit", Boolean.getBoolean(DURABLE_COMMITS) ? "on" : "off");
        if (Boolean.getBoolean("bench.pgss")) {
          b.setServerConfig("shared_preload_libraries", "pg_stat_statements").setServerConfig("pg_stat_statements.track_planning", "on");
        }
        server = b.start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.close();
        } catch (IOException ignored) {
          // the JVM is exiting; the server's folder is temporary
        }
      }));
    }
    return new Database("127.0.0.1", server.getPort(), "postgres", "postgres", "");
  }
}

package jp.tsunagu.consent.testing;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * A throw-away PostgreSQL database with the production migrations applied: one embedded server
 * per test JVM (random port), one fresh database per test class, {@link #reset()} before each test.
 */
public final class TestDatabase implements AutoCloseable {
  private static final String TABLES = "consent.set_outbox, consent.access_log, consent.access_log_head,"
      + " consent.receipt_presentation, consent.receipt, consent.consent_event, consent.consent_record,"
      + " consent.service_declaration";
  private static EmbeddedPostgres server;

  private final String name;
  private final Pool pool;

  private TestDatabase(String name, Pool pool) {
    this.name = name;
    this.pool = pool;
  }

  public static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedPostgres started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException ignored) {
          // the JVM is exiting
        }
      }));
    }
    return server;
  }

  /** A fresh, migrated database and a pool of {@code poolSize} connections to it. */
  public static TestDatabase create(Vertx vertx, int poolSize) {
    EmbeddedPostgres pg = server();
    String name = "t_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    Flyway.configure()
        .dataSource(pg.getJdbcUrl("postgres", name), "postgres", "postgres")
        .schemas("consent")
        .table("flyway_schema_history")
        .locations("classpath:db/migration/consent")
        .load()
        .migrate();
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(poolSize))
        .connectingTo(new PgConnectOptions().setHost("localhost").setPort(pg.getPort())
            .setDatabase(name).setUser("postgres").setPassword("postgres"))
        .using(vertx)
        .build();
    return new TestDatabase(name, pool);
  }

  public Pool pool() {
    return pool;
  }

  /** Empties every table of the consent schema. */
  public void reset() {
    execute("TRUNCATE " + TABLES);
  }

  /** Runs SQL directly (JDBC, autocommit): for tests that tamper with stored rows. */
  public int execute(String sql) {
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of the first row of {@code sql}, as a long. */
  public long queryLong(String sql) {
    try (Connection c = jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of the first row of {@code sql}, as a string. */
  public String queryString(String sql) {
    try (Connection c = jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public long count(String table) {
    return queryLong("SELECT count(*) FROM " + table);
  }

  private Connection jdbc() throws SQLException {
    return DriverManager.getConnection(server().getJdbcUrl("postgres", name), "postgres", "postgres");
  }

  @Override
  public void close() {
    pool.close().toCompletionStage().toCompletableFuture().join();
    try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}

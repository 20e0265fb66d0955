package jp.tsunagu.platform.db;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Connection facts of the platform's PostgreSQL and the pools built from them ({@link EventLoopPools}). */
public record Database(String host, int port, String database, String user, String password) {

  /** Parses a postgresql://user:password@host:port/database URL. */
  public static Database fromUrl(String url) {
    URI uri = URI.create(url);
    String user = "postgres";
    String password = "";
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : "";
    }
    String path = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
    return new Database(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, path, user, password);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public Pool pool(Vertx vertx, int size) {
    return pool(vertx, size, 30);
  }

  /** Pools whose callers wait at most {@code waitSeconds} for a free connection. */
  public Pool pool(Vertx vertx, int size, int waitSeconds) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(host)
        .setPort(port)
        .setDatabase(database)
        .setUser(user)
        .setPassword(password)
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256)
        .addProperty("search_path", "core");
    int perLoop = perLoop(size, VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE);
    return new EventLoopPools("tsunagu-" + database + "-" + port, name -> PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(perLoop).setShared(true).setName(name)
            .setConnectionTimeout(waitSeconds).setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)).connectingTo(connect).using(vertx).build());
  }

  /**
   * Connections of each event loop's pool: the node's {@code size} shared out over its event loops,
   * and never fewer than 4, so that a transaction and a statement run beside it on the same loop
   * do not wait for each other.
   */
  static int perLoop(int size, int eventLoops) {
    return Math.max(4, (size + eventLoops - 1) / eventLoops);
  }

  @Override
  public String toString() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}

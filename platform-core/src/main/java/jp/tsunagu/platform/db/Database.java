package jp.tsunagu.platform.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Connection facts of the platform's PostgreSQL and the pool built from them. */
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
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(host)
        .setPort(port)
        .setDatabase(database)
        .setUser(user)
        .setPassword(password)
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256)
        .addProperty("search_path", "core");
    PoolOptions pool = new PoolOptions().setMaxSize(size).setShared(true).setName("tsunagu-" + database + "-" + port);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }

  @Override
  public String toString() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}

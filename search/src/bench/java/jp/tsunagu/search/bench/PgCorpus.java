package jp.tsunagu.search.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import jp.tsunagu.search.page.Page;
import org.postgresql.PGConnection;

/**
 * The same corpus in PostgreSQL, searched the way a plain SQL site search does it: pg_trgm GIN
 * index over title and body, every word an {@code ILIKE '%word%'}, newest first, with the total.
 */
final class PgCorpus implements AutoCloseable {

  private static final int COPY_BATCH = 2_000;

  private final EmbeddedPostgres postgres;

  private PgCorpus(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts PostgreSQL on a free loopback port with its data in {@code dataDir}, creating the
   * cluster when the directory is empty and keeping it on close.
   */
  static PgCorpus start(Path dataDir) throws IOException {
    return new PgCorpus(EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setLocaleConfig("locale", "C.UTF-8")
        .setLocaleConfig("encoding", "UTF8")
        .setServerConfig("shared_buffers", "256MB")
        .setServerConfig("max_connections", "50")
        .start());
  }

  Connection connect() throws SQLException {
    return postgres.getPostgresDatabase().getConnection();
  }

  /** Creates the table and trigram index and loads the pages. */
  void load(List<Page> pages) throws SQLException, IOException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm");
      s.execute("DROP TABLE IF EXISTS pages");
      s.execute("CREATE TABLE pages (id text PRIMARY KEY, tenant text NOT NULL, title text NOT NULL, body text NOT NULL,"
          + " category text NOT NULL, updated timestamptz NOT NULL,"
          + " doc text GENERATED ALWAYS AS (title || ' ' || body) STORED)");
      // In batches, so that a large corpus never sits in memory twice.
      for (int from = 0; from < pages.size(); from += COPY_BATCH) {
        StringBuilder copy = new StringBuilder();
        for (Page p : pages.subList(from, Math.min(pages.size(), from + COPY_BATCH))) {
          copy.append(escape(p.id())).append('\t').append(p.tenant()).append('\t').append(escape(p.title())).append('\t')
              .append(escape(p.body())).append('\t').append(escape(p.category())).append('\t')
              .append(p.updated().toString()).append('\n');
        }
        c.unwrap(PGConnection.class).getCopyAPI()
            .copyIn("COPY pages (id, tenant, title, body, category, updated) FROM STDIN", new StringReader(copy.toString()));
      }
      s.execute("CREATE INDEX pages_doc_trgm ON pages USING gin (doc gin_trgm_ops)");
      s.execute("CREATE INDEX pages_tenant_updated ON pages (tenant, updated DESC)");
      s.execute("VACUUM ANALYZE pages");
    }
  }

  /** PostgreSQL version and whether pg_trgm extracts trigrams from Japanese text. */
  String describe() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT version(), show_trgm('保育園の申し込み')::text,"
            + " (SELECT extversion FROM pg_extension WHERE extname = 'pg_trgm')")) {
      r.next();
      return r.getString(1).split(",")[0] + "; pg_trgm " + r.getString(3) + "; show_trgm('保育園の申し込み') = "
          + r.getString(2).length() + " chars of trigrams";
    }
  }

  /** The plan of one benchmark query, to check the GIN index is used. */
  String plan(String query) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = prepare(c, query)) {
      StringBuilder out = new StringBuilder();
      try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + sql(query.split(" ").length))) {
        bind(explain, query);
        try (ResultSet r = explain.executeQuery()) {
          while (r.next()) {
            out.append(r.getString(1)).append('\n');
          }
        }
      }
      return out.toString();
    }
  }

  static String sql(int words) {
    StringBuilder sql = new StringBuilder("SELECT id, title, count(*) OVER () AS total FROM pages WHERE tenant = ?");
    for (int i = 0; i < words; i++) {
      sql.append(" AND doc ILIKE ?");
    }
    return sql.append(" ORDER BY updated DESC LIMIT 10").toString();
  }

  static PreparedStatement prepare(Connection c, String query) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql(query.split(" ").length));
    bind(ps, query);
    return ps;
  }

  private static void bind(PreparedStatement ps, String query) throws SQLException {
    ps.setString(1, jp.tsunagu.search.corpus.MunicipalCorpus.TENANT);
    String[] words = query.split(" ");
    for (int i = 0; i < words.length; i++) {
      ps.setString(i + 2, "%" + words[i] + "%");
    }
  }

  /** Runs one query; returns the total. */
  static long run(Connection c, String query) throws SQLException {
    try (PreparedStatement ps = prepare(c, query); ResultSet r = ps.executeQuery()) {
      long total = 0;
      while (r.next()) {
        total = r.getLong(3);
        r.getString(2);
      }
      return total;
    }
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}

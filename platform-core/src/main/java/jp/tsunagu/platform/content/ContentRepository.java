package jp.tsunagu.platform.content;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Pages, taxonomies and the change log in PostgreSQL; all SQL of pages is here. */
public final class ContentRepository {
  /** Key of the advisory lock that orders change-log ids by commit (see V30__content.sql). */
  static final long CHANGE_LOG_LOCK = 0x7473_756e_6167_7501L;

  /** A change row joined with the page's state now (null for facility changes). */
  public record ChangeRow(long id, String kind, String tenantCode, OffsetDateTime at, ContentPage page) {}

  /** A taxonomy term. */
  public record Term(String kind, String code, String nameJa, String nameEn, int position) {}

  private final Pool pool;

  public ContentRepository(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  Future<Optional<ContentPage>> lockByUrl(SqlClient tx, String tenant, String url) {
    return tx.preparedQuery("SELECT * FROM content_page WHERE tenant_code = $1 AND url = $2 FOR UPDATE")
        .execute(Tuple.of(tenant, url)).map(ContentRepository::first);
  }

  Future<Optional<ContentPage>> lockById(SqlClient tx, String tenant, UUID id) {
    return tx.preparedQuery("SELECT * FROM content_page WHERE tenant_code = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(tenant, id)).map(ContentRepository::first);
  }

  /** Inserts or overwrites the page row (by id). */
  Future<ContentPage> save(SqlClient tx, ContentPage p) {
    return tx.preparedQuery("INSERT INTO content_page (id, tenant_code, url, title, summary, body_html, body_text, category, "
            + "department, tags, districts, life_stages, language, source, content_hash, published_at, updated_at, withdrawn_at) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) "
            + "ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, title = EXCLUDED.title, summary = EXCLUDED.summary, "
            + "body_html = EXCLUDED.body_html, body_text = EXCLUDED.body_text, category = EXCLUDED.category, "
            + "department = EXCLUDED.department, tags = EXCLUDED.tags, districts = EXCLUDED.districts, "
            + "life_stages = EXCLUDED.life_stages, language = EXCLUDED.language, source = EXCLUDED.source, "
            + "content_hash = EXCLUDED.content_hash, published_at = EXCLUDED.published_at, "
            + "updated_at = EXCLUDED.updated_at, withdrawn_at = EXCLUDED.withdrawn_at RETURNING *")
        .execute(Tuple.from(new Object[] {p.id(), p.tenantCode(), p.url(), p.title(), p.summary(), p.bodyHtml(),
            p.bodyText(), p.category(), p.department(), p.tags().toArray(String[]::new),
            p.districts().toArray(String[]::new), p.lifeStages().toArray(String[]::new), p.language(), p.source(),
            p.contentHash(), p.publishedAt(), p.updatedAt(), p.withdrawnAt()}))
        .map(rows -> first(rows).orElseThrow());
  }

  /** Which of the category and department codes (either may be null) the municipality lacks, as "kind 'code'". */
  Future<List<String>> unknownTerms(SqlClient tx, String tenant, String category, String department) {
    return tx.preparedQuery("SELECT kind, code FROM content_taxonomy WHERE tenant_code = $1 AND "
            + "((kind = 'category' AND code = $2) OR (kind = 'department' AND code = $3))")
        .execute(Tuple.of(tenant, category, department))
        .map(rows -> {
          List<String> known = new ArrayList<>();
          rows.forEach(r -> known.add(r.getString(0) + " '" + r.getString(1) + "'"));
          List<String> missing = new ArrayList<>();
          if (category != null && !known.contains("category '" + category + "'")) {
            missing.add("category '" + category + "'");
          }
          if (department != null && !known.contains("department '" + department + "'")) {
            missing.add("department '" + department + "'");
          }
          return missing;
        });
  }

  /** District codes of the list that the municipality does not have. */
  Future<List<String>> unknownDistricts(SqlClient tx, String tenant, List<String> codes) {
    if (codes.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return tx.preparedQuery("SELECT c FROM unnest($2::text[]) AS c WHERE NOT EXISTS "
            + "(SELECT 1 FROM district d WHERE d.tenant_code = $1 AND d.code = c)")
        .execute(Tuple.of(tenant).addArrayOfString(codes.toArray(String[]::new)))
        .map(rows -> {
          List<String> out = new ArrayList<>();
          rows.forEach(r -> out.add(r.getString(0)));
          return out;
        });
  }

  /**
   * Appends a change under the change-log lock (held to the end of the transaction), so ids
   * commit in the order they are drawn. One statement: the insert draws the id from the row the
   * lock's select returns, so the id is drawn with the lock held, and the lock is held for one
   * round trip less. Returns the id and time of the row.
   */
  public Future<Row> appendChange(SqlClient tx, String tenant, String kind, UUID pageId) {
    return tx.preparedQuery("WITH locked AS (SELECT pg_advisory_xact_lock($1)) "
            + "INSERT INTO content_change (tenant_code, kind, page_id) SELECT $2::char(6), $3::text, $4::uuid FROM locked "
            + "RETURNING id, at")
        .execute(Tuple.of(CHANGE_LOG_LOCK, tenant, kind, pageId))
        .map(rows -> rows.iterator().next());
  }

  public Future<Optional<ContentPage>> find(String tenant, UUID id) {
    return pool.preparedQuery("SELECT * FROM content_page WHERE tenant_code = $1 AND id = $2")
        .execute(Tuple.of(tenant, id)).map(ContentRepository::first);
  }

  /** A municipality's pages, newest change first; withdrawn ones only when asked. */
  public Future<List<ContentPage>> list(String tenant, boolean withdrawn, int offset, int limit) {
    return pool.preparedQuery("SELECT * FROM content_page WHERE tenant_code = $1 AND (withdrawn_at IS NOT NULL) = $2 "
            + "ORDER BY updated_at DESC, id LIMIT $3 OFFSET $4")
        .execute(Tuple.of(tenant, withdrawn, limit, offset)).map(ContentRepository::all);
  }

  /** Changes after {@code afterId}, oldest first, each with the page's current row. */
  public Future<List<ChangeRow>> changesAfter(long afterId, int limit) {
    return pool.preparedQuery("SELECT c.id AS change_id, c.kind, c.tenant_code AS change_tenant, c.at, p.* "
            + "FROM content_change c LEFT JOIN content_page p ON p.id = c.page_id WHERE c.id > $1 ORDER BY c.id LIMIT $2")
        .execute(Tuple.of(afterId, limit))
        .map(rows -> {
          List<ChangeRow> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new ChangeRow(r.getLong("change_id"), r.getString("kind"), r.getString("change_tenant"),
                r.getOffsetDateTime("at"), r.getUUID("id") == null ? null : ContentPage.map(r)));
          }
          return out;
        });
  }

  /** The newest change id, 0 when there is none. */
  public Future<Long> latestChange() {
    return pool.query("SELECT coalesce(max(id), 0) FROM content_change").execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Public pages with an id above {@code after} (null: from the start), by id: the rebuild reads them in chunks. */
  public Future<List<ContentPage>> livePagesAfter(UUID after, int limit) {
    return pool.preparedQuery("SELECT * FROM content_page WHERE withdrawn_at IS NULL AND ($1::uuid IS NULL OR id > $1) "
            + "ORDER BY id LIMIT $2").execute(Tuple.of(after, limit)).map(ContentRepository::all);
  }

  public Future<Long> countLive() {
    return pool.query("SELECT count(*) FROM content_page WHERE withdrawn_at IS NULL").execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<List<Term>> taxonomy(String tenant) {
    return pool.preparedQuery("SELECT * FROM content_taxonomy WHERE tenant_code = $1 ORDER BY kind, position, code")
        .execute(Tuple.of(tenant))
        .map(rows -> {
          List<Term> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Term(r.getString("kind"), r.getString("code"), r.getString("name_ja"),
              r.getString("name_en"), r.getInteger("position"))));
          return out;
        });
  }

  Future<Void> saveTerm(SqlClient tx, String tenant, Term t) {
    return tx.preparedQuery("INSERT INTO content_taxonomy (tenant_code, kind, code, name_ja, name_en, position) "
            + "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_code, kind, code) DO UPDATE SET "
            + "name_ja = EXCLUDED.name_ja, name_en = EXCLUDED.name_en, position = EXCLUDED.position")
        .execute(Tuple.of(tenant, t.kind(), t.code(), t.nameJa(), t.nameEn(), t.position())).mapEmpty();
  }

  private static Optional<ContentPage> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(ContentPage.map(rows.iterator().next()));
  }

  private static List<ContentPage> all(RowSet<Row> rows) {
    List<ContentPage> out = new ArrayList<>();
    rows.forEach(r -> out.add(ContentPage.map(r)));
    return out;
  }
}

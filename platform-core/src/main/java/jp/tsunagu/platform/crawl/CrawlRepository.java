package jp.tsunagu.platform.crawl;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Crawl sources, their leases, page validators and run reports; all SQL of the crawler is here. */
public final class CrawlRepository {
  /** How long a node holds a source it crawls; a node that dies loses it when the lease ends. */
  static final String LEASE = "30 minutes";

  private final Pool pool;

  public CrawlRepository(Pool pool) {
    this.pool = pool;
  }

  Future<CrawlSource> create(CrawlSource s) {
    return pool.preparedQuery("INSERT INTO crawl_source (id, tenant_code, kind, url, interval_minutes, category) "
            + "VALUES ($1, $2, $3, $4, $5, $6) RETURNING *")
        .execute(Tuple.of(s.id(), s.tenantCode(), s.kind(), s.url(), s.intervalMinutes(), s.category()))
        .map(rows -> CrawlSource.map(rows.iterator().next()));
  }

  Future<List<JsonObject>> list(String tenant) {
    return pool.preparedQuery("SELECT s.*, r.status AS last_status, r.started_at AS last_started, r.finished_at AS last_finished, "
            + "r.published AS last_published, r.updated AS last_updated, r.unchanged AS last_unchanged, r.skipped AS last_skipped, "
            + "r.withdrawn AS last_withdrawn "
            + "FROM crawl_source s LEFT JOIN LATERAL (SELECT * FROM crawl_run WHERE source_id = s.id ORDER BY started_at DESC LIMIT 1) r "
            + "ON true WHERE s.tenant_code = $1 ORDER BY s.created_at")
        .execute(Tuple.of(tenant))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row r : rows) {
            JsonObject last = r.getString("last_status") == null ? null : new JsonObject().put("status", r.getString("last_status"))
                .put("startedAt", r.getOffsetDateTime("last_started").toString())
                .put("finishedAt", r.getOffsetDateTime("last_finished") == null ? null : r.getOffsetDateTime("last_finished").toString())
                .put("published", r.getInteger("last_published")).put("updated", r.getInteger("last_updated"))
                .put("unchanged", r.getInteger("last_unchanged")).put("skipped", r.getInteger("last_skipped"))
                .put("withdrawn", r.getInteger("last_withdrawn"));
            out.add(CrawlSource.map(r).toJson().put("lastRun", last));
          }
          return out;
        });
  }

  Future<Optional<CrawlSource>> find(String tenant, UUID id) {
    return pool.preparedQuery("SELECT * FROM crawl_source WHERE tenant_code = $1 AND id = $2").execute(Tuple.of(tenant, id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(CrawlSource.map(rows.iterator().next())));
  }

  /** Makes a source due now. */
  Future<Boolean> dueNow(String tenant, UUID id) {
    return pool.preparedQuery("UPDATE crawl_source SET next_run_at = now() WHERE tenant_code = $1 AND id = $2")
        .execute(Tuple.of(tenant, id)).map(r -> r.rowCount() == 1);
  }

  /**
   * Takes the most overdue source that no other node holds, for {@link #LEASE}. Concurrent callers
   * skip each other's rows (FOR UPDATE SKIP LOCKED), so one source goes to one node.
   */
  public Future<Optional<CrawlSource>> claim(String nodeId) {
    return pool.preparedQuery("UPDATE crawl_source SET lease_until = now() + interval '" + LEASE + "', leased_by = $1 "
            + "WHERE id = (SELECT id FROM crawl_source WHERE enabled AND next_run_at <= now() "
            + "AND (lease_until IS NULL OR lease_until < now()) ORDER BY next_run_at FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING *")
        .execute(Tuple.of(nodeId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(CrawlSource.map(rows.iterator().next())));
  }

  /** Ends this node's lease and schedules the next run. */
  Future<Void> release(CrawlSource s, String nodeId, String etag, String lastModified) {
    return pool.preparedQuery("UPDATE crawl_source SET lease_until = NULL, leased_by = NULL, "
            + "next_run_at = now() + make_interval(mins => interval_minutes), etag = $3, last_modified = $4 "
            + "WHERE id = $1 AND leased_by = $2")
        .execute(Tuple.of(s.id(), nodeId, etag, lastModified)).mapEmpty();
  }

  Future<UUID> startRun(UUID sourceId, String nodeId) {
    UUID id = UUID.randomUUID();
    return pool.preparedQuery("INSERT INTO crawl_run (id, source_id, node_id) VALUES ($1, $2, $3)")
        .execute(Tuple.of(id, sourceId, nodeId)).map(id);
  }

  Future<Void> finishRun(UUID runId, CrawlReport r) {
    return pool.preparedQuery("UPDATE crawl_run SET finished_at = now(), status = $2, published = $3, updated = $4, "
            + "unchanged = $5, skipped = $6, report = $7, withdrawn = $8 WHERE id = $1")
        .execute(Tuple.of(runId, r.status, r.published, r.updated, r.unchanged, r.skipped).addValue(r.lines).addValue(r.withdrawn))
        .mapEmpty();
  }

  Future<List<JsonObject>> runs(UUID sourceId, int limit) {
    return pool.preparedQuery("SELECT * FROM crawl_run WHERE source_id = $1 ORDER BY started_at DESC LIMIT $2")
        .execute(Tuple.of(sourceId, limit))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new JsonObject().put("id", r.getUUID("id").toString()).put("nodeId", r.getString("node_id"))
                .put("startedAt", r.getOffsetDateTime("started_at").toString())
                .put("finishedAt", r.getOffsetDateTime("finished_at") == null ? null : r.getOffsetDateTime("finished_at").toString())
                .put("status", r.getString("status")).put("published", r.getInteger("published"))
                .put("updated", r.getInteger("updated")).put("unchanged", r.getInteger("unchanged"))
                .put("skipped", r.getInteger("skipped")).put("withdrawn", r.getInteger("withdrawn"))
                .put("report", r.getValue("report")));
          }
          return out;
        });
  }

  /** The validators stored for a page of the source: [etag, lastModified], either may be null. */
  Future<String[]> validators(UUID sourceId, String url) {
    return pool.preparedQuery("SELECT etag, last_modified FROM crawl_page_state WHERE source_id = $1 AND url = $2")
        .execute(Tuple.of(sourceId, url))
        .map(rows -> rows.size() == 0 ? new String[2]
            : new String[] {rows.iterator().next().getString(0), rows.iterator().next().getString(1)});
  }

  Future<Void> saveValidators(UUID sourceId, String url, String etag, String lastModified) {
    return pool.preparedQuery("INSERT INTO crawl_page_state (source_id, url, etag, last_modified) VALUES ($1, $2, $3, $4) "
            + "ON CONFLICT (source_id, url) DO UPDATE SET etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified, fetched_at = now()")
        .execute(Tuple.of(sourceId, url, etag, lastModified)).mapEmpty();
  }

  /**
   * Addresses of the live pages this source brought in: pages it fetched and published (it holds
   * their validators) whose last writer was a crawler, and that no other source of the
   * municipality also leads to. Staff or a CMS taking a page over (a later push) takes it out.
   */
  Future<List<String>> broughtIn(CrawlSource s) {
    return pool.preparedQuery("SELECT st.url FROM crawl_page_state st "
            + "JOIN content_page p ON p.tenant_code = $2 AND p.url = st.url "
            + "WHERE st.source_id = $1 AND p.withdrawn_at IS NULL AND p.source = 'crawl' "
            + "AND NOT EXISTS (SELECT 1 FROM crawl_page_state o JOIN crawl_source os ON os.id = o.source_id "
            + "WHERE o.url = st.url AND o.source_id <> $1 AND os.tenant_code = $2)")
        .execute(Tuple.of(s.id(), s.tenantCode()))
        .map(rows -> {
          List<String> urls = new ArrayList<>();
          rows.forEach(r -> urls.add(r.getString(0)));
          return urls;
        });
  }

  /** Forgets a page's validators, so that a page that comes back is fetched and published again. */
  Future<Void> forget(UUID sourceId, String url) {
    return pool.preparedQuery("DELETE FROM crawl_page_state WHERE source_id = $1 AND url = $2")
        .execute(Tuple.of(sourceId, url)).mapEmpty();
  }
}

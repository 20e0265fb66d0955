package jp.tsunagu.platform.crawl;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A sitemap.xml or RSS/Atom feed of a municipality, crawled every {@code intervalMinutes}. */
public record CrawlSource(UUID id, String tenantCode, String kind, String url, int intervalMinutes, String category,
                          boolean enabled, OffsetDateTime nextRunAt, String etag, String lastModified) {

  static CrawlSource map(Row r) {
    return new CrawlSource(r.getUUID("id"), r.getString("tenant_code"), r.getString("kind"), r.getString("url"),
        r.getInteger("interval_minutes"), r.getString("category"), r.getBoolean("enabled"), r.getOffsetDateTime("next_run_at"),
        r.getString("etag"), r.getString("last_modified"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("tenantCode", tenantCode).put("kind", kind).put("url", url)
        .put("intervalMinutes", intervalMinutes).put("category", category).put("enabled", enabled)
        .put("nextRunAt", nextRunAt.toString());
  }
}

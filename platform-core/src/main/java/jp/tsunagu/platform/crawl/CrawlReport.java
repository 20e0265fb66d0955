package jp.tsunagu.platform.crawl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** What one run did: counts per outcome and every skipped or withdrawn address with its reason (the first 200 lines). */
final class CrawlReport {
  static final int MAX_LINES = 200;

  String status = "ok";
  int published;
  int updated;
  int unchanged;
  int skipped;
  int withdrawn;
  String etag;
  String lastModified;
  final JsonArray lines = new JsonArray();

  synchronized void skip(String url, String reason) {
    skipped++;
    if (lines.size() < MAX_LINES) {
      lines.add(new JsonObject().put("url", url).put("reason", reason));
    }
  }

  /** A line of the report that is neither a skip nor a failure (a withdrawal, a withdrawal held back). */
  synchronized void note(String url, String reason) {
    if (lines.size() < MAX_LINES) {
      lines.add(new JsonObject().put("url", url).put("reason", reason));
    }
  }

  synchronized void fail(String url, String reason) {
    status = "failed";
    if (lines.size() < MAX_LINES) {
      lines.add(new JsonObject().put("url", url).put("reason", reason));
    }
  }
}

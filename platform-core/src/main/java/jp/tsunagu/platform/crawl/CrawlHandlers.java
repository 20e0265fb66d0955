package jp.tsunagu.platform.crawl;

import static jp.tsunagu.platform.http.Api.body;
import static jp.tsunagu.platform.http.Api.path;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import jp.tsunagu.platform.content.ContentAccess;

/** HTTP adapter of crawl sources and their reports; one method per operationId. */
public final class CrawlHandlers {
  private final CrawlService crawl;
  private final ContentAccess access;

  public CrawlHandlers(CrawlService crawl, ContentAccess access) {
    this.crawl = crawl;
    this.access = access;
  }

  public void listCrawlSources(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    respond(ctx, 200, access.editor(ctx, tenant).compose(a -> crawl.list(tenant))
        .map(items -> new JsonObject().put("items", new JsonArray(items))));
  }

  public void createCrawlSource(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    JsonObject b = body(ctx);
    respond(ctx, 201, access.editor(ctx, tenant)
        .compose(a -> crawl.create(tenant, b.getString("kind"), b.getString("url"), b.getInteger("intervalMinutes", 60),
            b.getString("category")))
        .map(CrawlSource::toJson));
  }

  public void runCrawlSource(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    UUID id = UUID.fromString(path(ctx, "sourceId"));
    respond(ctx, 202, access.editor(ctx, tenant).compose(a -> crawl.runNow(tenant, id)).map(v -> new JsonObject().put("due", true)));
  }

  public void listCrawlRuns(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    UUID id = UUID.fromString(path(ctx, "sourceId"));
    respond(ctx, 200, access.editor(ctx, tenant).compose(a -> crawl.runs(tenant, id, 20))
        .map(items -> new JsonObject().put("items", new JsonArray(items))));
  }
}

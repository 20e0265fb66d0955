package jp.tsunagu.platform.content;

import static jp.tsunagu.platform.http.Api.body;
import static jp.tsunagu.platform.http.Api.path;
import static jp.tsunagu.platform.http.Api.query;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import jp.tsunagu.platform.content.ContentService.PageWrite;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.tenant.TenantService;

/** HTTP adapter of pages, taxonomies and facility imports; one method per operationId. */
public final class ContentHandlers {
  private final ContentService content;
  private final FacilityService facilities;
  private final TenantService tenants;
  private final ContentAccess access;

  public ContentHandlers(ContentService content, FacilityService facilities, TenantService tenants, ContentAccess access) {
    this.content = content;
    this.facilities = facilities;
    this.tenants = tenants;
    this.access = access;
  }

  public void listPages(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    boolean withdrawn = bool(query(ctx, "withdrawn"));
    int offset = integer(query(ctx, "offset"), 0);
    int limit = integer(query(ctx, "limit"), 50);
    respond(ctx, 200, access.pageWriter(ctx, tenant).compose(a -> content.list(tenant, withdrawn, offset, limit)).map(list -> {
      JsonArray items = new JsonArray();
      list.forEach(p -> items.add(p.toJson(false)));
      return new JsonObject().put("items", items);
    }));
  }

  public void upsertPage(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    JsonObject b = body(ctx);
    Future<PageWrite> write = access.pageWriter(ctx, tenant).compose(a -> draft(b).compose(d -> content.upsert(a, tenant, d, "cms")));
    write.onComplete(ar -> respond(ctx, ar.succeeded() && ar.result().created() ? 201 : 200, write.map(ContentHandlers::toJson)));
  }

  public void withdrawPageByUrl(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    String url = body(ctx).getString("url");
    respond(ctx, 200, access.pageWriter(ctx, tenant).compose(a -> content.withdrawByUrl(a, tenant, url)).map(ContentHandlers::toJson));
  }

  public void getPage(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    UUID id = UUID.fromString(path(ctx, "pageId"));
    respond(ctx, 200, access.pageWriter(ctx, tenant).compose(a -> content.find(tenant, id)).map(p -> p.toJson(true)));
  }

  public void updatePage(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    UUID id = UUID.fromString(path(ctx, "pageId"));
    JsonObject b = body(ctx);
    respond(ctx, 200, access.pageWriter(ctx, tenant)
        .compose(a -> draft(b).compose(d -> content.update(a, tenant, id, d, a.kind() == Author.Kind.CLIENT ? "cms" : "staff")))
        .map(ContentHandlers::toJson));
  }

  public void withdrawPage(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    UUID id = UUID.fromString(path(ctx, "pageId"));
    respond(ctx, 200, access.pageWriter(ctx, tenant).compose(a -> content.withdraw(a, tenant, id)).map(ContentHandlers::toJson));
  }

  public void getTaxonomy(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    respond(ctx, 200, tenants.require(tenant).compose(t -> content.taxonomy(tenant)).map(terms -> {
      JsonArray items = new JsonArray();
      terms.forEach(t -> items.add(term(t)));
      return new JsonObject().put("items", items);
    }));
  }

  public void saveTaxonomyTerm(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    JsonObject b = body(ctx);
    ContentRepository.Term t = new ContentRepository.Term(path(ctx, "kind"), path(ctx, "code"), b.getString("nameJa"),
        b.getString("nameEn", ""), b.getInteger("position", 0));
    respond(ctx, 200, access.editor(ctx, tenant).compose(a -> content.saveTerm(a, tenant, t)).map(ContentHandlers::term));
  }

  /** The body is CSV, which the contract validator does not read: the content type is checked here. */
  public void importFacilities(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/csv")) {
      ctx.fail(new ProblemException(415, "unsupported-media-type", "Unsupported media type", "Send the facilities as text/csv"));
      return;
    }
    String csv = ctx.body().asString("UTF-8");
    respond(ctx, 200, access.editor(ctx, tenant).compose(a -> facilities.importCsv(a, tenant, csv == null ? "" : csv))
        .map(n -> new JsonObject().put("imported", n)));
  }

  static JsonObject toJson(PageWrite w) {
    return new JsonObject().put("page", w.page().toJson(false)).put("outcome", w.outcome().name().toLowerCase(Locale.ROOT))
        .put("changeId", w.event() == null ? null : w.event().changeId());
  }

  private static JsonObject term(ContentRepository.Term t) {
    return new JsonObject().put("kind", t.kind()).put("code", t.code()).put("nameJa", t.nameJa()).put("nameEn", t.nameEn())
        .put("position", t.position());
  }

  private static Future<PageDraft> draft(JsonObject b) {
    try {
      return Future.succeededFuture(PageDraft.fromJson(b));
    } catch (DateTimeParseException e) {
      return Future.failedFuture(ProblemException.badRequest("invalid-page", "publishedAt is not a date-time"));
    }
  }

  static boolean bool(RequestParameter p) {
    return p != null && !p.isNull() && Boolean.TRUE.equals(p.getBoolean());
  }

  static int integer(RequestParameter p, int fallback) {
    return p == null || p.isNull() ? fallback : p.getInteger();
  }
}

package jp.tsunagu.platform.sitesearch;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.platform.content.ContentRepository;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;

/** HTTP adapter of search, suggestions, the facility finder and the search index; one method per operationId. */
public final class SearchHandlers {
  /** Filter parameters of searchPages and the facet each one filters. */
  static final Map<String, String> FILTERS = Map.of("category", "category", "department", "department",
      "district", "district", "lifeStage", "life_stage", "tag", "tag", "language", "language", "published", "published");

  private final SearchService search;
  private final FacilitySearch facilities;
  private final ContentIndexer indexer;
  private final IndexRebuilds rebuilds;
  private final SearchIndexes indexes;
  private final ContentRepository content;
  private final Auth auth;
  private final String nodeId;

  public SearchHandlers(SearchService search, FacilitySearch facilities, ContentIndexer indexer, IndexRebuilds rebuilds,
                        SearchIndexes indexes, ContentRepository content, Auth auth, String nodeId) {
    this.search = search;
    this.facilities = facilities;
    this.indexer = indexer;
    this.rebuilds = rebuilds;
    this.indexes = indexes;
    this.content = content;
    this.auth = auth;
    this.nodeId = nodeId;
  }

  public void searchPages(RoutingContext ctx) {
    respond(ctx, 200, attempt(() -> {
      SearchParams p = new SearchParams(ctx.queryParams());
      Map<String, List<String>> filters = new LinkedHashMap<>();
      FILTERS.forEach((param, facet) -> {
        List<String> values = p.list(param, 50, 100);
        if (!values.isEmpty()) {
          filters.put(facet, values);
        }
      });
      return search.search(new SearchService.PageSearch(p.text("q", 1000, ""), p.tenants(), filters, p.list("facet", 10, 40),
          p.integer("offset", 0), p.integer("limit", 10), p.text("from", 40, null), p.text("to", 40, null)));
    }));
  }

  public void suggestPages(RoutingContext ctx) {
    respond(ctx, 200, attempt(() -> {
      SearchParams p = new SearchParams(ctx.queryParams());
      int limit = p.integer("limit", 8);
      if (limit < 1 || limit > 20) {
        throw ProblemException.badRequest("invalid-request", "limit must be between 1 and 20");
      }
      return search.suggest(p.tenants(), p.text("q", 100, ""), limit)
          .map(titles -> new JsonObject().put("items", new JsonArray(titles)));
    }));
  }

  public void searchFacilities(RoutingContext ctx) {
    respond(ctx, 200, attempt(() -> {
      SearchParams p = new SearchParams(ctx.queryParams());
      Double radius = p.number("radius");
      return facilities.find(new FacilitySearch.Request(p.tenants(), p.number("latitude"), p.number("longitude"),
          radius == null ? 1500 : radius, p.text("district", 40, null), p.list("type", 10, 40), p.integer("ageMonths", null),
          p.bool("withVacancies"), p.text("name", 1000, ""), p.integer("limit", 20)));
    }));
  }

  public void getSearchIndex(RoutingContext ctx) {
    respond(ctx, 200, auth.staff(ctx)
        .compose(s -> Future.all(content.latestChange(), rebuilds.recent(20),
            indexes.query(() -> new long[] {indexes.pages().generation(), indexes.pages().count()})))
        .map(all -> {
          long[] live = all.resultAt(2);
          List<JsonObject> recent = all.resultAt(1);
          return new JsonObject().put("nodeId", nodeId).put("generation", live[0]).put("pages", live[1])
              .put("pagesApplied", Math.max(0, indexer.pagesApplied())).put("latestChange", (long) all.resultAt(0))
              .put("rebuilding", rebuilds.running()).put("rebuilds", new JsonArray(new ArrayList<>(recent)));
        }));
  }

  public void rebuildSearchIndex(RoutingContext ctx) {
    respond(ctx, 202, auth.staff(ctx).compose(s -> s.operator()
        ? Future.succeededFuture(new JsonObject().put("requestId", rebuilds.request(s.id()).toString()))
        : Future.failedFuture(ProblemException.forbidden("Only platform operators rebuild the search index"))));
  }
}

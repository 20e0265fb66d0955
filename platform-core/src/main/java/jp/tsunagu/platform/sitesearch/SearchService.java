package jp.tsunagu.platform.sitesearch;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.search.InvalidSearchRequestException;
import jp.tsunagu.search.SearchException;
import jp.tsunagu.search.page.FacetCount;
import jp.tsunagu.search.page.PageHit;
import jp.tsunagu.search.page.PageQuery;
import jp.tsunagu.search.page.PageResults;

/**
 * Citizen search over this node's page index: one municipality or every connected one, facets
 * with the municipality's labels, filters, paging, highlighted snippets, "did you mean", and
 * suggestions while typing. Requests are validated by the search module before the index is
 * touched; its refusals become 400 problems, an index failure a 503.
 */
public final class SearchService {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SearchService.class);
  /** Calendar dates of the free publication range are days in Japan. */
  static final ZoneId DATES = ZoneId.of("Asia/Tokyo");

  /**
   * A search as the API and the search page ask for it.
   *
   * @param from first publication date (YYYY-MM-DD, a day in Japan) or null/blank
   * @param to last publication date, inclusive, or null/blank
   */
  public record PageSearch(String text, List<String> tenants, Map<String, List<String>> filters, List<String> facets,
                           int offset, int limit, String from, String to) {
    public PageSearch(String text, List<String> tenants, Map<String, List<String>> filters, List<String> facets,
                      int offset, int limit) {
      this(text, tenants, filters, facets, offset, limit, null, null);
    }
  }

  private final Pool pool;
  private final SearchIndexes indexes;

  public SearchService(Pool pool, SearchIndexes indexes) {
    this.pool = pool;
    this.indexes = indexes;
  }

  public Future<JsonObject> search(PageSearch request) {
    Instant from;
    Instant until;
    try {
      from = day(request.from(), "from");
      LocalDate last = date(request.to(), "to");
      until = last == null ? null : last.plusDays(1).atStartOfDay(DATES).toInstant();
    } catch (ProblemException e) {
      return Future.failedFuture(e);
    }
    return tenants(request.tenants()).compose(tenants -> indexes.query(() -> {
          PageQuery.Builder b = PageQuery.builder().tenants(List.copyOf(tenants)).text(request.text())
              .page(request.offset(), request.limit()).facets(request.facets().toArray(String[]::new))
              .publishedBetween(from, until);
          request.filters().forEach((facet, values) -> b.filter(facet, values.toArray(String[]::new)));
          return indexes.pages().search(b.build());
        }).recover(SearchService::problem)
        .compose(results -> labels(tenants).map(labels -> toJson(request, results, labels))));
  }

  private static Instant day(String text, String name) {
    LocalDate d = date(text, name);
    return d == null ? null : d.atStartOfDay(DATES).toInstant();
  }

  /** A calendar date as YYYY-MM-DD, null when absent; anything else is a 400 problem naming the parameter. */
  static LocalDate date(String text, String name) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.strip();
    try {
      if (t.length() != 10) {
        throw new DateTimeParseException("not YYYY-MM-DD", t, 0);
      }
      LocalDate d = LocalDate.parse(t);
      if (d.getYear() < 1900 || d.getYear() > 2999) {
        throw new DateTimeParseException("year out of range", t, 0);
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new ProblemException(400, "search-bad-date", "Invalid search",
          name + " must be a calendar date as YYYY-MM-DD between 1900 and 2999");
    }
  }

  public Future<List<String>> suggest(List<String> tenants, String prefix, int count) {
    if (prefix == null || prefix.isBlank()) {
      return Future.succeededFuture(List.of());
    }
    return tenants(tenants).compose(codes -> indexes.query(() -> indexes.pages().suggest(codes, prefix.strip(), count))
        .recover(SearchService::problem));
  }

  /** The municipalities asked for (each must exist), or every connected one. */
  Future<Set<String>> tenants(List<String> asked) {
    return pool.query("SELECT code FROM tenant ORDER BY code").execute().compose(rows -> {
      Set<String> known = new LinkedHashSet<>();
      rows.forEach(r -> known.add(r.getString(0)));
      if (asked == null || asked.isEmpty()) {
        return known.isEmpty() ? Future.failedFuture(ProblemException.notFound("A municipality"))
            : Future.succeededFuture(known);
      }
      for (String code : asked) {
        if (!known.contains(code)) {
          return Future.failedFuture(ProblemException.notFound("Municipality " + code));
        }
      }
      return Future.succeededFuture(new LinkedHashSet<>(asked));
    });
  }

  /** Labels of category and department codes: kind → code → {ja, en}. */
  private Future<Map<String, Map<String, JsonObject>>> labels(Set<String> tenants) {
    return pool.preparedQuery("SELECT kind, code, name_ja, name_en FROM content_taxonomy WHERE tenant_code = ANY($1)")
        .execute(Tuple.tuple().addArrayOfString(tenants.toArray(String[]::new)))
        .map(rows -> {
          Map<String, Map<String, JsonObject>> out = new HashMap<>();
          for (Row r : rows) {
            out.computeIfAbsent(r.getString("kind"), k -> new HashMap<>()).putIfAbsent(r.getString("code"),
                new JsonObject().put("ja", r.getString("name_ja")).put("en", r.getString("name_en")));
          }
          return out;
        });
  }

  private static JsonObject toJson(PageSearch request, PageResults r, Map<String, Map<String, JsonObject>> labels) {
    JsonArray hits = new JsonArray();
    r.hits().forEach(h -> hits.add(hit(h, labels)));
    JsonArray pinned = new JsonArray();
    r.pinned().forEach(h -> pinned.add(hit(h, labels)));
    JsonObject facets = new JsonObject();
    r.facets().forEach((name, counts) -> {
      JsonArray values = new JsonArray();
      for (FacetCount c : counts) {
        JsonObject label = labels.getOrDefault(name, Map.of()).get(c.value());
        values.add(new JsonObject().put("value", c.value()).put("count", c.count())
            .put("labelJa", label == null ? null : label.getString("ja"))
            .put("labelEn", label == null || label.getString("en").isEmpty() ? null : label.getString("en")));
      }
      facets.put(name, values);
    });
    return new JsonObject().put("query", request.text()).put("total", r.total()).put("offset", request.offset())
        .put("limit", request.limit()).put("didYouMean", r.didYouMean().orElse(null))
        .put("pinned", pinned).put("hits", hits).put("facets", facets);
  }

  private static JsonObject hit(PageHit h, Map<String, Map<String, JsonObject>> labels) {
    // Map.of() refuses a null key: a page without a category in a municipality without taxonomy
    JsonObject category = h.category() == null ? null : labels.getOrDefault("category", Map.of()).get(h.category());
    return new JsonObject().put("tenantCode", h.tenant()).put("id", h.id()).put("url", h.url()).put("title", h.title())
        .put("summary", h.summary()).put("snippet", h.snippet())
        .put("category", h.category() == null || h.category().isEmpty() ? null : h.category())
        .put("categoryLabelJa", category == null ? null : category.getString("ja"))
        .put("categoryLabelEn", category == null || category.getString("en").isEmpty() ? null : category.getString("en"))
        .put("publishedAt", h.published().toString()).put("updatedAt", h.updated().toString())
        // the days in the calendar of the from / to range, which the page shows
        .put("publishedOn", LocalDate.ofInstant(h.published(), DATES).toString())
        .put("updatedOn", LocalDate.ofInstant(h.updated(), DATES).toString())
        .put("pinned", h.pinned());
  }

  /**
   * The search module's refusals as 400 problems (one type per reason), index failures as 503, and
   * a full search queue as 503 with Retry-After.
   */
  static <T> Future<T> problem(Throwable err) {
    if (err instanceof InvalidSearchRequestException e) {
      String type = switch (e.reason()) {
        case QUERY_SYNTAX -> "search-query-syntax";
        case QUERY_TOO_LONG -> "search-query-too-long";
        case PAGE_SIZE -> "search-page-size";
        case OFFSET -> "search-offset";
        case UNKNOWN_FACET -> "search-unknown-facet";
        case DATE_RANGE -> "search-date-range";
        case BAD_ARGUMENT -> "search-bad-argument";
      };
      return Future.failedFuture(new ProblemException(400, type, "Invalid search", e.getMessage()));
    }
    if (err instanceof SearchIndexes.Busy) {
      return Future.failedFuture(ProblemException.busy("search-busy", "Search busy",
          "Too many searches are waiting on this node; try again in a moment", 1));
    }
    if (err instanceof SearchException) {
      LOG.warn("search index failure", err);
      return Future.failedFuture(new ProblemException(503, "search-unavailable", "Search unavailable",
          "The search index cannot answer right now; try again shortly"));
    }
    return Future.failedFuture(err);
  }

  static List<String> list(List<String> values) {
    return values == null ? List.of() : new ArrayList<>(values);
  }
}

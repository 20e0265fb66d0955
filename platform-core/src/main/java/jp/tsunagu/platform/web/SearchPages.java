package jp.tsunagu.platform.web;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.sitesearch.SearchService;
import jp.tsunagu.platform.tenant.Tenant;
import jp.tsunagu.platform.tenant.TenantService;

/**
 * The citizens' search page: one box (with suggestions while typing, from {@code /static/search.js}),
 * a choice of municipality, a publication date range, facets as links that add or remove a filter, results with highlighted
 * snippets, "did you mean" and paging. It works without script; the script only adds suggestions.
 */
final class SearchPages {
  static final int PAGE_SIZE = 10;
  /** Facets shown, with the query parameter that filters by each. */
  private static final Map<String, String> FACETS = new LinkedHashMap<>(Map.of("category", "category", "life_stage", "lifeStage",
      "published", "published"));
  private static final List<String> ORDER = List.of("category", "life_stage", "published");

  private final SearchService search;
  private final TenantService tenants;
  private final View view;

  SearchPages(SearchService search, TenantService tenants, View view) {
    this.search = search;
    this.tenants = tenants;
    this.view = view;
  }

  void show(RoutingContext ctx) {
    MultiMap params = ctx.queryParams();
    String q = params.get("q") == null ? "" : params.get("q");
    String tenant = params.get("tenant") == null ? "" : params.get("tenant");
    int page = page(params.get("page"));
    Map<String, List<String>> filters = new LinkedHashMap<>();
    FACETS.forEach((facet, param) -> {
      List<String> values = params.getAll(param).stream().filter(v -> !v.isBlank()).toList();
      if (!values.isEmpty()) {
        filters.put(facet, values);
      }
    });
    String from = params.get("from") == null ? "" : params.get("from");
    String to = params.get("to") == null ? "" : params.get("to");
    Map<String, Object> model = new HashMap<>();
    model.put("q", q);
    model.put("from", from);
    model.put("to", to);
    model.put("tenant", tenant);
    tenants.list().onFailure(ctx::fail).onSuccess(list -> {
      model.put("tenants", list.stream().map(Tenant::toJson).map(JsonObject::getMap).toList());
      boolean asked = params.contains("q") || !filters.isEmpty() || !from.isBlank() || !to.isBlank();
      if (!asked) {
        view.render(ctx, "search", model);
        return;
      }
      search.search(new SearchService.PageSearch(q, tenant.isEmpty() ? List.of() : List.of(tenant), filters, ORDER,
              (page - 1) * PAGE_SIZE, PAGE_SIZE, from, to))
          .onSuccess(results -> {
            model.putAll(results(results, params, page));
            view.render(ctx, "search", model);
          })
          .onFailure(err -> {
            if (err instanceof ProblemException p && p.status() < 500) {
              model.put("problem", p);
              view.render(ctx, p.status(), "search", model);
            } else {
              ctx.fail(err);
            }
          });
    });
  }

  private static Map<String, Object> results(JsonObject r, MultiMap params, int page) {
    Map<String, Object> model = new HashMap<>();
    List<Object> hits = new ArrayList<>();
    r.getJsonArray("pinned").forEach(h -> hits.add(((JsonObject) h).getMap()));
    r.getJsonArray("hits").forEach(h -> hits.add(((JsonObject) h).getMap()));
    model.put("hits", hits);
    model.put("total", r.getLong("total"));
    model.put("searched", true);
    if (r.getString("didYouMean") != null) {
      model.put("didYouMean", r.getString("didYouMean"));
      model.put("didYouMeanHref", href(params, "q", r.getString("didYouMean"), true));
    }
    List<Map<String, Object>> facets = new ArrayList<>();
    for (String facet : ORDER) {
      JsonArray values = r.getJsonObject("facets").getJsonArray(facet, new JsonArray());
      if (values.isEmpty()) {
        continue;
      }
      String param = FACETS.get(facet);
      List<Map<String, Object>> items = new ArrayList<>();
      for (Object o : values) {
        JsonObject v = (JsonObject) o;
        boolean selected = params.getAll(param).contains(v.getString("value"));
        if (v.getLong("count") == 0 && !selected) {
          continue; // a date range without pages leads nowhere
        }
        Map<String, Object> item = new HashMap<>(v.getMap());
        item.put("selected", selected);
        item.put("href", toggle(params, param, v.getString("value")));
        items.add(item);
      }
      facets.add(Map.of("name", facet, "values", items));
    }
    model.put("facets", facets);
    long pages = (r.getLong("total") + PAGE_SIZE - 1) / PAGE_SIZE;
    model.put("page", page);
    model.put("pages", pages);
    if (page > 1) {
      model.put("prevHref", href(params, "page", String.valueOf(page - 1), true));
    }
    if (page < pages && page * PAGE_SIZE < 10_000) {
      model.put("nextHref", href(params, "page", String.valueOf(page + 1), true));
    }
    return model;
  }

  /** The search with the filter value added, or removed if present (back to the first page). */
  private static String toggle(MultiMap params, String name, String value) {
    MultiMap next = MultiMap.caseInsensitiveMultiMap().addAll(params);
    next.remove("page");
    List<String> values = new ArrayList<>(next.getAll(name));
    if (!values.remove(value)) {
      values.add(value);
    }
    next.remove(name);
    values.forEach(v -> next.add(name, v));
    return query(next);
  }

  private static String href(MultiMap params, String name, String value, boolean replace) {
    MultiMap next = MultiMap.caseInsensitiveMultiMap().addAll(params);
    if (replace) {
      next.remove(name);
    }
    if (!"page".equals(name)) {
      next.remove("page");
    }
    next.add(name, value);
    return query(next);
  }

  private static String query(MultiMap params) {
    StringBuilder out = new StringBuilder("/search?");
    params.forEach(e -> out.append(out.charAt(out.length() - 1) == '?' ? "" : "&")
        .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
        .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)));
    return out.toString();
  }

  private static int page(String text) {
    try {
      int p = text == null ? 1 : Integer.parseInt(text);
      return p < 1 ? 1 : Math.min(p, 10_000 / PAGE_SIZE);
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}

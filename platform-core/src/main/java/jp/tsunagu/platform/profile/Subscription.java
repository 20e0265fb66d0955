package jp.tsunagu.platform.profile;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a citizen follows, in one municipality: {@code topics} (categories and tags, any or all of
 * them), {@code search} (a saved search: text and facet filters), {@code page} (one page's updates
 * and its withdrawal) or {@code tenant} (every update of a municipality, one's own or another).
 */
public record Subscription(
    UUID id,
    UUID accountId,
    String tenantCode,
    Kind kind,
    List<String> categories,
    List<String> tags,
    boolean matchAll,
    String searchText,
    Map<String, List<String>> searchFilters,
    UUID pageId,
    Frequency frequency,
    OffsetDateTime createdAt) {

  public enum Kind {
    TOPICS, SEARCH, PAGE, TENANT;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("tenantCode", tenantCode).put("kind", kind.code())
        .put("frequency", frequency.apiName()).put("createdAt", createdAt == null ? null : createdAt.toString());
    switch (kind) {
      case TOPICS -> json.put("categories", new JsonArray(categories)).put("tags", new JsonArray(tags))
          .put("match", matchAll ? "all" : "any");
      case SEARCH -> {
        JsonObject filters = new JsonObject();
        searchFilters.forEach((k, v) -> filters.put(k, new JsonArray(v)));
        json.put("search", new JsonObject().put("text", searchText).put("filters", filters));
      }
      case PAGE -> json.put("pageId", pageId.toString());
      case TENANT -> json.put("categories", new JsonArray(categories));
    }
    return json;
  }

  static Subscription map(Row r) {
    JsonObject filters = r.getJsonObject("search_filters");
    Map<String, List<String>> searchFilters = new java.util.LinkedHashMap<>();
    if (filters != null) {
      filters.forEach(e -> searchFilters.put(e.getKey(), ((JsonArray) e.getValue()).stream().map(String::valueOf).toList()));
    }
    return new Subscription(r.getUUID("id"), r.getUUID("account_id"), r.getString("tenant_code"),
        Kind.valueOf(r.getString("kind").toUpperCase(java.util.Locale.ROOT)), List.of(r.getArrayOfStrings("categories")),
        List.of(r.getArrayOfStrings("tags")), r.getBoolean("match_all"), r.getString("search_text"), searchFilters,
        r.getUUID("page_id"), Frequency.ofRank(r.getShort("frequency")), r.getOffsetDateTime("created_at"));
  }
}

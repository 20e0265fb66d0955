package jp.tsunagu.platform.content;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import jp.tsunagu.search.page.Language;
import jp.tsunagu.search.page.LifeStage;
import jp.tsunagu.search.page.Page;

/**
 * One row of the content change log, as published on the event bus at
 * {@link ContentAddresses#of(String) the address of its kind}.
 *
 * @param changeId the {@code content_change} id: increasing, the position to resume reading from
 * @param pageId null for {@code facilities_replaced}
 * @param indexed the page as the search index takes it, as committed with this change (null for
 *     facility changes and for pages whose text is longer than {@link #MAX_INDEXED_TEXT}): every
 *     node's indexer applies it without reading the change back from PostgreSQL
 */
public record ContentEvent(long changeId, String kind, String tenantCode, String pageId, String url, String title,
                           String category, List<String> districts, List<String> lifeStages, String language,
                           OffsetDateTime at, Page indexed) {

  /** Longest page text an event carries (characters); a longer page is read from PostgreSQL by each node. */
  public static final int MAX_INDEXED_TEXT = 256 * 1024;

  static ContentEvent of(long changeId, String kind, OffsetDateTime at, ContentPage page) {
    return new ContentEvent(changeId, kind, page.tenantCode(), page.id().toString(), page.url(), page.title(),
        page.category(), page.districts(), page.lifeStages(), page.language(), at, indexable(page));
  }

  /** The page for the index, or null when it is too long to travel or the index could not take it anyway. */
  private static Page indexable(ContentPage page) {
    if (length(page.bodyText()) + length(page.summary()) + length(page.title()) > MAX_INDEXED_TEXT) {
      return null;
    }
    try {
      return page.toIndexPage();
    } catch (IllegalArgumentException | NullPointerException e) {
      return null; // the indexer reads the change from PostgreSQL, and skips it there with a log line
    }
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("changeId", changeId).put("kind", kind).put("tenantCode", tenantCode)
        .put("pageId", pageId).put("url", url).put("title", title).put("category", category)
        .put("districts", districts == null ? null : new JsonArray(districts))
        .put("lifeStages", lifeStages == null ? null : new JsonArray(lifeStages)).put("language", language)
        .put("at", at.toString());
    if (indexed != null) {
      json.put("indexed", indexedJson(indexed));
    }
    return json;
  }

  /**
   * The page an event carries for the index, or null when it carries none (a facility change, a
   * long page, an event from an older node): read the change from PostgreSQL then.
   *
   * @throws IllegalArgumentException when the event is not one this node can read
   */
  public static Page indexedPage(JsonObject event) {
    JsonObject p = event.getJsonObject("indexed");
    if (p == null) {
      return null;
    }
    Set<LifeStage> stages = EnumSet.noneOf(LifeStage.class);
    strings(p.getJsonArray("lifeStages")).forEach(s -> stages.add(LifeStage.ofCode(s)));
    return new Page(p.getString("tenant"), p.getString("id"), p.getString("url"), p.getString("title"),
        p.getString("summary"), p.getString("body"), p.getString("category"), p.getString("department"),
        strings(p.getJsonArray("tags")), strings(p.getJsonArray("districts")), stages,
        Language.ofCode(p.getString("language")), Instant.parse(p.getString("published")),
        Instant.parse(p.getString("updated")), p.getBoolean("withdrawn"));
  }

  private static JsonObject indexedJson(Page p) {
    JsonArray stages = new JsonArray();
    p.lifeStages().forEach(s -> stages.add(s.code()));
    return new JsonObject().put("tenant", p.tenant()).put("id", p.id()).put("url", p.url()).put("title", p.title())
        .put("summary", p.summary()).put("body", p.body()).put("category", p.category()).put("department", p.department())
        .put("tags", new JsonArray(p.tags())).put("districts", new JsonArray(p.districts())).put("lifeStages", stages)
        .put("language", p.language().code()).put("published", p.published().toString())
        .put("updated", p.updated().toString()).put("withdrawn", p.withdrawn());
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> out.add((String) v));
    }
    return out;
  }
}

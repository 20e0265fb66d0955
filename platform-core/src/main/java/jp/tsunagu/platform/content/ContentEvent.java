package jp.tsunagu.platform.content;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One row of the content change log, as published on the event bus at
 * {@link ContentAddresses#of(String) the address of its kind}.
 *
 * @param changeId the {@code content_change} id: increasing, the position to resume reading from
 * @param pageId null for {@code facilities_replaced}
 */
public record ContentEvent(long changeId, String kind, String tenantCode, String pageId, String url, String title,
                           String category, List<String> districts, List<String> lifeStages, String language,
                           OffsetDateTime at) {

  static ContentEvent of(long changeId, String kind, OffsetDateTime at, ContentPage page) {
    return new ContentEvent(changeId, kind, page.tenantCode(), page.id().toString(), page.url(), page.title(),
        page.category(), page.districts(), page.lifeStages(), page.language(), at);
  }

  public JsonObject toJson() {
    return new JsonObject().put("changeId", changeId).put("kind", kind).put("tenantCode", tenantCode)
        .put("pageId", pageId).put("url", url).put("title", title).put("category", category)
        .put("districts", districts == null ? null : new JsonArray(districts))
        .put("lifeStages", lifeStages == null ? null : new JsonArray(lifeStages)).put("language", language)
        .put("at", at.toString());
  }
}

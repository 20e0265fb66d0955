package jp.tsunagu.platform.content;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.search.page.Language;
import jp.tsunagu.search.page.LifeStage;
import jp.tsunagu.search.page.Page;

/**
 * A municipal page as PostgreSQL keeps it: the HTML as received and its extracted text, taxonomy,
 * targets and the hash of its substance. A withdrawn page keeps its row (and its URL) so that
 * publishing the URL again brings it back under the same id.
 */
public record ContentPage(
    UUID id,
    String tenantCode,
    String url,
    String title,
    String summary,
    String bodyHtml,
    String bodyText,
    String category,
    String department,
    List<String> tags,
    List<String> districts,
    List<String> lifeStages,
    String language,
    String source,
    String contentHash,
    OffsetDateTime publishedAt,
    OffsetDateTime updatedAt,
    OffsetDateTime withdrawnAt) {

  public boolean withdrawn() {
    return withdrawnAt != null;
  }

  ContentPage withIdentity(UUID newId, String tenant) {
    return new ContentPage(newId, tenant, url, title, summary, bodyHtml, bodyText, category, department, tags, districts,
        lifeStages, language, source, contentHash, publishedAt, updatedAt, withdrawnAt);
  }

  /** The projection the search index holds. */
  public Page toIndexPage() {
    Set<LifeStage> stages = EnumSet.noneOf(LifeStage.class);
    lifeStages.forEach(s -> stages.add(LifeStage.ofCode(s)));
    return new Page(tenantCode, id.toString(), url, title, summary, bodyText, nz(category), nz(department), tags,
        districts, stages, Language.ofCode(language), publishedAt.toInstant(), updatedAt.toInstant(), withdrawn());
  }

  public JsonObject toJson(boolean withBody) {
    JsonObject json = new JsonObject().put("id", id.toString()).put("tenantCode", tenantCode).put("url", url)
        .put("title", title).put("summary", summary).put("category", category).put("department", department)
        .put("tags", new JsonArray(tags)).put("districts", new JsonArray(districts))
        .put("lifeStages", new JsonArray(lifeStages)).put("language", language).put("source", source)
        .put("publishedAt", publishedAt.toString()).put("updatedAt", updatedAt.toString())
        .put("withdrawnAt", withdrawnAt == null ? null : withdrawnAt.toString());
    if (withBody) {
      json.put("bodyHtml", bodyHtml);
    }
    return json;
  }

  static ContentPage map(Row r) {
    return new ContentPage(r.getUUID("id"), r.getString("tenant_code"), r.getString("url"), r.getString("title"),
        r.getString("summary"), r.getString("body_html"), r.getString("body_text"), r.getString("category"),
        r.getString("department"), List.of(r.getArrayOfStrings("tags")), List.of(r.getArrayOfStrings("districts")),
        List.of(r.getArrayOfStrings("life_stages")), r.getString("language"), r.getString("source"),
        r.getString("content_hash"), r.getOffsetDateTime("published_at"), r.getOffsetDateTime("updated_at"),
        r.getOffsetDateTime("withdrawn_at"));
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}

package jp.tsunagu.search.page;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import jp.tsunagu.search.TenantCode;

/**
 * A municipal page as the index sees it. PostgreSQL holds the truth; this is the projection the
 * platform hands over on every publish, update or withdrawal.
 *
 * @param tenant 6-digit local government code
 * @param id page id, unique within the tenant
 * @param body plain text; use {@link HtmlText#toText} or {@link #fromHtml} for HTML
 * @param updated when the page last changed; the recency boost uses it
 * @param withdrawn a withdrawn page is removed from the index when upserted
 */
public record Page(
    String tenant,
    String id,
    String url,
    String title,
    String summary,
    String body,
    String category,
    String department,
    List<String> tags,
    List<String> districts,
    Set<LifeStage> lifeStages,
    Language language,
    Instant published,
    Instant updated,
    boolean withdrawn) {

  public Page {
    TenantCode.require(tenant);
    Objects.requireNonNull(id, "id");
    if (id.isBlank() || id.length() > 200) {
      throw new IllegalArgumentException("page id must be 1..200 characters");
    }
    url = Objects.requireNonNullElse(url, "");
    title = Objects.requireNonNullElse(title, "");
    summary = Objects.requireNonNullElse(summary, "");
    body = Objects.requireNonNullElse(body, "");
    category = Objects.requireNonNullElse(category, "");
    department = Objects.requireNonNullElse(department, "");
    tags = List.copyOf(Objects.requireNonNullElse(tags, List.of()));
    districts = List.copyOf(Objects.requireNonNullElse(districts, List.of()));
    lifeStages = Set.copyOf(Objects.requireNonNullElse(lifeStages, Set.of()));
    language = Objects.requireNonNullElse(language, Language.JA);
    Objects.requireNonNull(published, "published");
    updated = Objects.requireNonNullElse(updated, published);
  }

  /** A page whose body is HTML, converted with {@link HtmlText}. */
  public static Page fromHtml(
      String tenant, String id, String url, String title, String summary, String bodyHtml,
      String category, String department, List<String> tags, List<String> districts,
      Set<LifeStage> lifeStages, Language language, Instant published, Instant updated, boolean withdrawn) {
    return new Page(tenant, id, url, title, summary, HtmlText.toText(bodyHtml), category, department,
        tags, districts, lifeStages, language, published, updated, withdrawn);
  }
}

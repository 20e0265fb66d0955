package jp.tsunagu.platform.content;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.search.page.HtmlText;
import jp.tsunagu.search.page.LifeStage;

/**
 * A page as a CMS, the crawler or staff hand it in, before it is stored. {@link #checked()} trims,
 * deduplicates and checks every field; {@link #hash()} digests what matters to a reader (text,
 * taxonomy, targets, language), so a change of markup alone is not a substantive update.
 *
 * @param publishedAt when the page was first published on the city's site; null means now
 */
public record PageDraft(
    String url,
    String title,
    String summary,
    String bodyHtml,
    String category,
    String department,
    List<String> tags,
    List<String> districts,
    List<String> lifeStages,
    String language,
    OffsetDateTime publishedAt) {

  public static final int MAX_HTML = 1024 * 1024;
  public static final int MAX_TAGS = 20;
  public static final int MAX_DISTRICTS = 100;

  /** Reads the JSON of the API (PageInput). */
  public static PageDraft fromJson(JsonObject b) {
    return new PageDraft(b.getString("url"), b.getString("title"), b.getString("summary", ""), b.getString("bodyHtml", ""),
        b.getString("category"), b.getString("department"), strings(b.getJsonArray("tags")),
        strings(b.getJsonArray("districts")), strings(b.getJsonArray("lifeStages")), b.getString("language", "ja"),
        b.getString("publishedAt") == null ? null : OffsetDateTime.parse(b.getString("publishedAt")));
  }

  /** The draft with trimmed, deduplicated values; throws a 400 problem naming the first bad field. */
  public PageDraft checked() {
    String u = strip(url);
    if (u.isEmpty() || u.length() > 2000 || !httpUrl(u)) {
      throw bad("url", "url must be an absolute http(s) address of at most 2000 characters");
    }
    String t = strip(title);
    if (t.isEmpty() || t.length() > 300) {
      throw bad("title", "title must be 1 to 300 characters");
    }
    String s = strip(summary);
    if (s.length() > 2000) {
      throw bad("summary", "summary must be at most 2000 characters");
    }
    String html = bodyHtml == null ? "" : bodyHtml;
    if (html.length() > MAX_HTML) {
      throw bad("bodyHtml", "bodyHtml must be at most " + MAX_HTML + " characters");
    }
    List<String> tagList = distinct(tags);
    if (tagList.size() > MAX_TAGS || tagList.stream().anyMatch(x -> x.length() > 50)) {
      throw bad("tags", "at most " + MAX_TAGS + " tags of at most 50 characters");
    }
    List<String> districtList = distinct(districts);
    if (districtList.size() > MAX_DISTRICTS) {
      throw bad("districts", "at most " + MAX_DISTRICTS + " districts");
    }
    List<String> stages = distinct(lifeStages);
    for (String stage : stages) {
      try {
        LifeStage.ofCode(stage);
      } catch (IllegalArgumentException e) {
        throw bad("lifeStages", "unknown life stage '" + stage + "'; known: pregnancy, infant, preschool, school_age, youth, adult, senior");
      }
    }
    String lang = language == null || language.isBlank() ? "ja" : language.strip().toLowerCase(Locale.ROOT);
    if (!lang.equals("ja") && !lang.equals("en")) {
      throw bad("language", "language must be ja or en");
    }
    return new PageDraft(u, t, s, html, emptyToNull(category), emptyToNull(department), tagList, districtList,
        stages.stream().map(x -> x.toLowerCase(Locale.ROOT)).toList(), lang, publishedAt);
  }

  /** The plain text of the body, as the index and the hash see it. */
  public String text() {
    return HtmlText.toText(bodyHtml);
  }

  /** SHA-256 over the substance of a checked draft whose text is {@code text}. */
  public String hash(String text) {
    JsonObject substance = new JsonObject().put("title", title).put("summary", summary).put("text", text)
        .put("category", category).put("department", department).put("tags", sorted(tags))
        .put("districts", sorted(districts)).put("lifeStages", sorted(lifeStages)).put("language", language);
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(substance.encode().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean httpUrl(String u) {
    try {
      URI uri = new URI(u);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static JsonArray sorted(List<String> values) {
    List<String> copy = new ArrayList<>(values);
    copy.sort(null);
    return new JsonArray(copy);
  }

  private static List<String> distinct(List<String> values) {
    Set<String> out = new LinkedHashSet<>();
    if (values != null) {
      for (String v : values) {
        String s = strip(v);
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
    }
    return List.copyOf(out);
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(o -> out.add(String.valueOf(o)));
    }
    return out;
  }

  private static String strip(String s) {
    return s == null ? "" : s.strip();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static ProblemException bad(String field, String detail) {
    return ProblemException.badRequest("invalid-page", detail);
  }
}

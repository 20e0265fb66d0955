package jp.tsunagu.platform.content;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import jp.tsunagu.platform.staff.Staff;

/**
 * Who changes content: a staff member (in the console, or a CMS calling the API with an editor's
 * session), the crawler of a source, or the platform itself (demo data). A CMS signed in with
 * OAuth client credentials becomes a further kind here, with its client id, when the OpenID
 * provider issues such tokens; the content service needs nothing else from its caller.
 *
 * @param staffId the staff member, or null
 * @param label what the audit log records besides the staff id
 */
public record Author(Kind kind, UUID staffId, String label) {
  /** The kinds of author. */
  public enum Kind { STAFF, CRAWLER, SYSTEM }

  public static Author staff(Staff staff) {
    return new Author(Kind.STAFF, staff.id(), staff.email());
  }

  public static Author crawler(UUID sourceId) {
    return new Author(Kind.CRAWLER, null, "crawl-source:" + sourceId);
  }

  public static Author system() {
    return new Author(Kind.SYSTEM, null, "system");
  }

  JsonObject toJson() {
    return new JsonObject().put("author", kind.name().toLowerCase(java.util.Locale.ROOT)).put("by", label);
  }
}

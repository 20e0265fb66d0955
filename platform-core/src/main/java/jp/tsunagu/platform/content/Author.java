package jp.tsunagu.platform.content;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import jp.tsunagu.platform.staff.Staff;

/**
 * Who changes content: a staff member (in the console, or a CMS calling the API with an editor's
 * session), a CMS signed in with OAuth client credentials (its client id), the crawler of a
 * source, or the platform itself (demo data); the content service needs nothing else from its
 * caller.
 *
 * @param staffId the staff member, or null
 * @param label what the audit log records besides the staff id
 */
public record Author(Kind kind, UUID staffId, String label) {
  /** The kinds of author. */
  public enum Kind { STAFF, CLIENT, CRAWLER, SYSTEM }

  public static Author staff(Staff staff) {
    return new Author(Kind.STAFF, staff.id(), staff.email());
  }

  /** A CMS authenticated by an OAuth client-credentials token. */
  public static Author client(String clientId) {
    return new Author(Kind.CLIENT, null, "client:" + clientId);
  }

  public static Author crawler(UUID sourceId) {
    return new Author(Kind.CRAWLER, null, "crawl-source:" + sourceId);
  }

  public static Author system() {
    return new Author(Kind.SYSTEM, null, "system");
  }

  /** What the audit log records of the author. */
  public JsonObject toJson() {
    return new JsonObject().put("author", kind.name().toLowerCase(java.util.Locale.ROOT)).put("by", label);
  }
}

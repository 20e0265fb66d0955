package jp.tsunagu.platform.circular;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.platform.http.ProblemException;

/**
 * PDF and image attachments of circulars. A file is accepted only when its first bytes are those
 * of the type it claims (PDF, PNG or JPEG), it is not empty and not larger than the limit; its
 * name is kept for download only. Members download the attachments of circulars they received;
 * officers those of their association.
 */
public final class Attachments {
  public static final int MAX_BYTES = 10 * 1024 * 1024;
  public static final int MAX_PER_CIRCULAR = 10;
  private static final Map<String, byte[]> MAGIC = Map.of(
      "application/pdf", new byte[] {'%', 'P', 'D', 'F', '-'},
      "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
      "image/jpeg", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff});

  private final Pool pool;
  private final CircularService circulars;

  public Attachments(Pool pool, CircularService circulars) {
    this.pool = pool;
    this.circulars = circulars;
  }

  /** Checks type, content and size, then stores the file; nothing is stored for a bad file. */
  public Future<JsonObject> add(UUID officerId, UUID associationId, UUID circularId, String contentType, String filename,
                                Buffer content) {
    String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    byte[] magic = MAGIC.get(type);
    if (magic == null) {
      return Future.failedFuture(new ProblemException(415, "unsupported-attachment", "Unsupported attachment",
          "Attachments must be PDF, PNG or JPEG"));
    }
    if (content == null || content.length() == 0) {
      return Future.failedFuture(ProblemException.badRequest("empty-attachment", "The file is empty"));
    }
    if (content.length() > MAX_BYTES) {
      return Future.failedFuture(new ProblemException(413, "attachment-too-large", "Attachment too large",
          "Attachments may be at most " + MAX_BYTES / (1024 * 1024) + " MiB"));
    }
    byte[] bytes = content.getBytes();
    for (int i = 0; i < magic.length; i++) {
      if (bytes.length <= i || bytes[i] != magic[i]) {
        return Future.failedFuture(new ProblemException(415, "attachment-type-mismatch", "Attachment does not match its type",
            "The file's content is not " + type));
      }
    }
    String name = filename == null || filename.isBlank() ? "attachment" : filename.strip().replaceAll("[\\\\/\\p{Cntrl}\"]", "_");
    UUID id = UUID.randomUUID();
    return circulars.asOfficer(officerId, associationId)
        .compose(a -> pool.preparedQuery("SELECT count(*) FROM circular_attachment t JOIN circular c ON c.id = t.circular_id "
                + "WHERE c.id = $1 AND c.association_id = $2").execute(Tuple.of(circularId, associationId)))
        .compose(rows -> rows.iterator().next().getLong(0) >= MAX_PER_CIRCULAR
            ? Future.failedFuture(ProblemException.conflict("too-many-attachments", "A circular has at most " + MAX_PER_CIRCULAR + " attachments"))
            : pool.preparedQuery("INSERT INTO circular_attachment (id, circular_id, filename, content_type, size_bytes, sha256, content) "
                    + "SELECT $1, c.id, $3, $4, $5, $6, $7 FROM circular c WHERE c.id = $2 AND c.association_id = $8")
                .execute(Tuple.of(id, circularId, name.length() > 200 ? name.substring(0, 200) : name, type, bytes.length,
                    Buffer.buffer(sha256(bytes)), Buffer.buffer(bytes)).addValue(associationId)))
        .compose(r -> r.rowCount() == 0 ? Future.failedFuture(ProblemException.notFound("Circular " + circularId))
            : Future.succeededFuture(new JsonObject().put("id", id.toString()).put("filename", name).put("contentType", type)
                .put("sizeBytes", bytes.length).put("sha256", HexFormat.of().formatHex(sha256(bytes)))));
  }

  /** Metadata of a circular's attachments. */
  public Future<JsonArray> list(UUID circularId) {
    return pool.preparedQuery("SELECT id, filename, content_type, size_bytes, sha256 FROM circular_attachment WHERE circular_id = $1 ORDER BY added_at")
        .execute(Tuple.of(circularId))
        .map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            out.add(new JsonObject().put("id", r.getUUID(0).toString()).put("filename", r.getString(1)).put("contentType", r.getString(2))
                .put("sizeBytes", r.getInteger(3)).put("sha256", HexFormat.of().formatHex(r.getBuffer(4).getBytes())));
          }
          return out;
        });
  }

  /** A file, for a current member of the circular's association (it is in their archive) or an officer. */
  public record File(String filename, String contentType, Buffer content) {}

  public Future<File> download(UUID accountId, UUID circularId, UUID attachmentId) {
    return pool.preparedQuery("SELECT t.filename, t.content_type, t.content FROM circular_attachment t JOIN circular c ON c.id = t.circular_id "
            + "WHERE t.id = $1 AND c.id = $2 AND (EXISTS (SELECT 1 FROM association_member m "
            + "WHERE m.association_id = c.association_id AND m.account_id = $3 AND m.left_at IS NULL) "
            + "OR EXISTS (SELECT 1 FROM association_officer o WHERE o.association_id = c.association_id AND o.account_id = $3))")
        .execute(Tuple.of(attachmentId, circularId, accountId))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(ProblemException.notFound("Attachment " + attachmentId))
            : Future.succeededFuture(new File(rows.iterator().next().getString(0), rows.iterator().next().getString(1),
                rows.iterator().next().getBuffer(2))));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

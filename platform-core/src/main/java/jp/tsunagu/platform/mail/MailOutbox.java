package jp.tsunagu.platform.mail;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * Mail is written to an outbox table in the same transaction as the change that causes it; the
 * {@link MailSender} delivers it afterwards. With no SMTP server configured, the outbox is the
 * development mailbox shown at /dev/outbox.
 */
public final class MailOutbox {
  /** Local event: mail was queued on this node (after the commit); wakes the sender at once. */
  public static final String QUEUED = "mail.outbox.queued";

  private final Pool pool;

  public MailOutbox(Pool pool) {
    this.pool = pool;
  }

  public static Future<Void> enqueue(SqlClient tx, String to, String subject, String body) {
    return tx.preparedQuery("INSERT INTO mail_outbox (to_address, subject, body_text) VALUES ($1, $2, $3)")
        .execute(Tuple.of(to, subject, body))
        .mapEmpty();
  }

  /** A mail with extra headers (List-Unsubscribe and the like). */
  public static Future<Void> enqueue(SqlClient tx, String to, String subject, String body, JsonObject headers) {
    return tx.preparedQuery("INSERT INTO mail_outbox (to_address, subject, body_text, headers) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(to, subject, body, headers))
        .mapEmpty();
  }

  /** One mail of {@link #enqueueAll}. */
  public record Outgoing(String to, String subject, String body, JsonObject headers) {}

  /** Many mails in one statement. */
  public static Future<Void> enqueueAll(SqlClient tx, java.util.List<Outgoing> mails) {
    if (mails.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery("INSERT INTO mail_outbox (to_address, subject, body_text, headers) "
            + "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])")
        .execute(Tuple.tuple().addArrayOfString(mails.stream().map(Outgoing::to).toArray(String[]::new))
            .addArrayOfString(mails.stream().map(Outgoing::subject).toArray(String[]::new))
            .addArrayOfString(mails.stream().map(Outgoing::body).toArray(String[]::new))
            .addArrayOfJsonObject(mails.stream().map(Outgoing::headers).toArray(JsonObject[]::new)))
        .mapEmpty();
  }

  /** The newest mails, for the development outbox page and tests. */
  public Future<JsonArray> recent(int limit) {
    return pool.preparedQuery("SELECT id, to_address, subject, body_text, created_at, sent_at FROM mail_outbox ORDER BY id DESC LIMIT $1")
        .execute(Tuple.of(limit))
        .map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            out.add(new JsonObject().put("id", r.getLong("id")).put("to", r.getString("to_address"))
                .put("subject", r.getString("subject")).put("body", r.getString("body_text"))
                .put("createdAt", r.getOffsetDateTime("created_at").toString())
                .put("sent", r.getOffsetDateTime("sent_at") != null));
          }
          return out;
        });
  }
}

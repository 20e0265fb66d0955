package jp.tsunagu.platform.notify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.UUID;

/** A citizen's notifications in PostgreSQL. */
public final class InboxRepository {
  private static final String COLUMNS = "SELECT n.id, n.read_at, n.created_at, n.reasons, o.tenant_code, o.kind, o.page_id, "
      + "o.title, o.url, o.summary FROM notification n JOIN notice o ON o.id = n.notice_id ";

  private final Pool pool;

  InboxRepository(Pool pool) {
    this.pool = pool;
  }

  /** Newest first, below {@code beforeId} (null: from the newest). */
  public Future<JsonArray> list(UUID accountId, Long beforeId, boolean unreadOnly, int limit) {
    return pool.preparedQuery(COLUMNS + "WHERE n.account_id = $1 AND ($2::bigint IS NULL OR n.id < $2) "
            + "AND (NOT $3 OR n.read_at IS NULL) ORDER BY n.id DESC LIMIT $4")
        .execute(Tuple.of(accountId, beforeId, unreadOnly, limit)).map(InboxRepository::toJson);
  }

  /** Oldest first, after {@code afterId}: what a reconnecting live stream missed. */
  Future<JsonArray> after(UUID accountId, long afterId, int limit) {
    return pool.preparedQuery(COLUMNS + "WHERE n.account_id = $1 AND n.id > $2 ORDER BY n.id LIMIT $3")
        .execute(Tuple.of(accountId, afterId, limit)).map(InboxRepository::toJson);
  }

  public Future<Long> unread(UUID accountId) {
    return pool.preparedQuery("SELECT count(*) FROM notification WHERE account_id = $1 AND read_at IS NULL")
        .execute(Tuple.of(accountId)).map(rows -> rows.iterator().next().getLong(0));
  }

  /** Marks notifications read (null ids: all of them) and counts the first opening of each notice. */
  public Future<Void> markRead(UUID accountId, Long[] ids) {
    return pool.withTransaction(tx -> tx.preparedQuery("WITH opened AS (UPDATE notification SET read_at = now() "
            + "WHERE account_id = $1 AND read_at IS NULL AND ($2::bigint[] IS NULL OR id = ANY($2)) RETURNING notice_id) "
            + "UPDATE notice_stats s SET opened = s.opened + o.c FROM (SELECT notice_id, count(*) AS c FROM opened "
            + "GROUP BY notice_id) o WHERE s.notice_id = o.notice_id AND s.channel = 'inbox'")
        .execute(Tuple.of(accountId).addArrayOfLong(ids))).mapEmpty();
  }

  /**
   * The citizen opened a notification from a channel: it is marked read (the inbox counts its first
   * opening) and, from a push notification, the delivery's first click-through is counted too.
   * Counters move by one row's change, never by counting rows. 404 for another citizen's.
   */
  public Future<Void> opened(UUID accountId, long notificationId, String channel) {
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT notice_id FROM notification WHERE id = $1 AND account_id = $2")
            .execute(Tuple.of(notificationId, accountId))
            .compose(rows -> rows.size() == 0 ? Future.failedFuture(jp.tsunagu.platform.http.ProblemException.notFound("Notification"))
                : Future.succeededFuture())
            .compose(v -> tx.preparedQuery("WITH opened AS (UPDATE notification SET read_at = now() WHERE id = $1 AND read_at IS NULL "
                    + "RETURNING notice_id) UPDATE notice_stats s SET opened = s.opened + 1 FROM opened o "
                    + "WHERE s.notice_id = o.notice_id AND s.channel = 'inbox'").execute(Tuple.of(notificationId)))
            .compose(v -> !"webpush".equals(channel) ? Future.succeededFuture()
                : tx.preparedQuery("WITH clicked AS (UPDATE delivery SET opened_at = now() WHERE notification_id = $1 "
                        + "AND channel = 'webpush' AND opened_at IS NULL RETURNING notice_id) UPDATE notice_stats s "
                        + "SET opened = s.opened + 1 FROM clicked c WHERE s.notice_id = c.notice_id AND s.channel = 'webpush'")
                    .execute(Tuple.of(notificationId))))
        .mapEmpty();
  }

  private static JsonArray toJson(RowSet<Row> rows) {
    JsonArray out = new JsonArray();
    for (Row r : rows) {
      out.add(new JsonObject().put("id", r.getLong("id")).put("tenantCode", r.getString("tenant_code"))
          .put("kind", r.getString("kind")).put("pageId", r.getUUID("page_id") == null ? null : r.getUUID("page_id").toString())
          .put("title", r.getString("title")).put("url", r.getString("url")).put("summary", r.getString("summary"))
          .put("reasons", new JsonArray(java.util.List.of(r.getArrayOfStrings("reasons"))))
          .put("createdAt", r.getOffsetDateTime("created_at").withOffsetSameInstant(ZoneOffset.UTC).toString())
          .put("read", r.getOffsetDateTime("read_at") != null));
    }
    return out;
  }
}

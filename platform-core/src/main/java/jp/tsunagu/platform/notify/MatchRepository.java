package jp.tsunagu.platform.notify;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.platform.content.ContentPage;

/** The matcher's SQL: its lease and checkpoint, and the bulk writes of one change's notice. */
final class MatchRepository {
  /** Who matched a notice: the notification id and the citizen. */
  record Recipient(long notificationId, UUID accountId) {}

  /**
   * Every recipient of a change, in one statement; {@code %1$s} (subscriptions), {@code %3$s}
   * (earlier recipients) and {@code %4$s} (profiles) restrict each branch to some citizens
   * (empty: no restriction), once per branch so the planner can use the account keys; {@code %2$s}
   * is a leading WITH.
   */
  private static final String RECIPIENTS = "%2$sINSERT INTO notification (notice_id, account_id, frequency, reasons) "
      + "SELECT $9, m.account_id, min(m.frequency), array_agg(DISTINCT m.reason ORDER BY m.reason) FROM ("
      // the interest profile: a category of interest, an overlapping district, a current life stage
      + " SELECT p.account_id, p.frequency, 'interests' AS reason FROM interest_profile p"
      + "  WHERE NOT $10 AND p.tenant_code = $1 AND $2::text = ANY(p.interests)"
      + "   AND (cardinality($4::text[]) = 0 OR p.districts && $4::text[])"
      + "   AND (cardinality($5::text[]) = 0 OR life_stages(p.due_date, p.child_birth_dates, $8::date) && $5::text[])"
      + "%4$s"
      + " UNION ALL"
      + " SELECT s.account_id, s.frequency, 'topics' FROM subscription s"
      + "  WHERE NOT $10 AND s.kind = 'topics' AND s.deleted_at IS NULL AND s.tenant_code = $1 AND ("
      + "   (NOT s.match_all AND (s.categories && array_remove(ARRAY[$2::text], NULL) OR s.tags && $3::text[]))"
      + "   OR (s.match_all AND s.categories <@ array_remove(ARRAY[$2::text], NULL) AND s.tags <@ $3::text[]))"
      + "%1$s"
      + " UNION ALL"
      + " SELECT s.account_id, s.frequency, 'tenant' FROM subscription s"
      + "  WHERE NOT $10 AND s.kind = 'tenant' AND s.deleted_at IS NULL AND s.tenant_code = $1"
      + "   AND (cardinality(s.categories) = 0 OR $2::text = ANY(s.categories))"
      + "%1$s"
      + " UNION ALL"
      + " SELECT s.account_id, s.frequency, 'search' FROM subscription s"
      + "  WHERE NOT $10 AND s.id = ANY($7::uuid[]) AND s.deleted_at IS NULL AND s.tenant_code = $1"
      + "%1$s"
      + " UNION ALL"
      + " SELECT s.account_id, s.frequency, 'page' FROM subscription s"
      + "  WHERE s.kind = 'page' AND s.deleted_at IS NULL AND s.page_id = $6"
      + "%1$s"
      // a withdrawal also reaches everyone who was told about the page before
      + " UNION ALL"
      + " SELECT n.account_id, n.frequency, 'received' FROM notification n JOIN notice o ON o.id = n.notice_id"
      + "  WHERE $10 AND o.page_id = $6 AND o.id <> $9"
      + "%3$s"
      + ") m JOIN account a ON a.id = m.account_id AND a.deleted_at IS NULL "
      + "GROUP BY m.account_id ON CONFLICT (notice_id, account_id) DO NOTHING RETURNING id, account_id";

  private static final String ALL_RECIPIENTS = String.format(RECIPIENTS, "", "", "", "");
  /** How many citizens a change matches: the recipients' selection alone, writing nothing (to measure matching on its own). */
  private static final String MATCHES = "SELECT count(*) FROM (SELECT m.account_id FROM ("
      + ALL_RECIPIENTS.substring(ALL_RECIPIENTS.indexOf(" FROM (") + " FROM (".length(), ALL_RECIPIENTS.lastIndexOf(") m JOIN account"))
      + ") m JOIN account a ON a.id = m.account_id AND a.deleted_at IS NULL GROUP BY m.account_id) x";
  /**
   * Every recipient, answering how many were written and at most {@code $11} of them: the data-
   * modifying statement runs to completion whatever the outer limit, and a large fan-out does not
   * ship every row back to the node.
   */
  private static final String ALL_RECIPIENTS_COUNTED = "WITH ins AS (" + ALL_RECIPIENTS + ") "
      + "SELECT (SELECT count(*) FROM ins), id, account_id FROM ins LIMIT $11";
  /** Only citizens with a live stream open on a node that is alive. */
  private static final String LIVE_RECIPIENTS = String.format(RECIPIENTS, " AND s.account_id IN (SELECT account_id FROM live)",
      "WITH live AS (SELECT DISTINCT lp.account_id FROM live_presence lp JOIN live_node ln ON ln.node_id = lp.node_id "
          + "AND ln.seen_at > now() - interval '2 minutes') ",
      " AND n.account_id IN (SELECT account_id FROM live)", " AND p.account_id IN (SELECT account_id FROM live)");

  private static final String DELIVERIES = "WITH queued AS ("
      + "INSERT INTO delivery (notification_id, notice_id, account_id, channel, due_at, next_try_at) "
      + "SELECT n.id, n.notice_id, n.account_id, ch, d, d FROM notification n "
      + "JOIN interest_profile p ON p.account_id = n.account_id "
      + "CROSS JOIN LATERAL unnest(p.channels) AS ch "
      + "CROSS JOIN LATERAL delivery_due(n.frequency, p.quiet_start, p.quiet_end, now()) AS d "
      + "WHERE n.notice_id = $1 AND ("
      + " (ch = 'email' AND EXISTS (SELECT 1 FROM email_channel e WHERE e.account_id = n.account_id "
      + "   AND e.confirmed_at IS NOT NULL AND e.stopped_at IS NULL))"
      + " OR (ch = 'webhook' AND EXISTS (SELECT 1 FROM webhook_endpoint w WHERE w.account_id = n.account_id "
      + "   AND w.disabled_at IS NULL))"
      + " OR (ch = 'webpush' AND EXISTS (SELECT 1 FROM push_subscription w WHERE w.account_id = n.account_id "
      + "   AND w.disabled_at IS NULL))) "
      + "ON CONFLICT (notification_id, channel) DO NOTHING RETURNING channel) "
      + "INSERT INTO notice_stats (notice_id, channel, queued) "
      + "SELECT $1, channel, count(*) FROM queued GROUP BY channel "
      + "UNION ALL SELECT $1, 'inbox', $2 ON CONFLICT (notice_id, channel) DO NOTHING";

  private final Pool pool;

  MatchRepository(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  /** Takes or renews the matcher's lease; the checkpoint when this node holds it. */
  Future<Optional<Long>> lease(String owner, int seconds) {
    return pool.preparedQuery("UPDATE notify_matcher SET lease_owner = $1, lease_until = now() + make_interval(secs => $2) "
            + "WHERE id = 1 AND (lease_owner = $1 OR lease_owner IS NULL OR lease_until < now()) RETURNING last_change_id")
        .execute(Tuple.of(owner, (double) seconds))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong(0)));
  }

  Future<Void> release(String owner) {
    return pool.preparedQuery("UPDATE notify_matcher SET lease_owner = NULL, lease_until = NULL WHERE id = 1 AND lease_owner = $1")
        .execute(Tuple.of(owner)).mapEmpty();
  }

  /** Locks the checkpoint row; true when this owner still holds the lease and the change is not done yet. */
  Future<Boolean> claim(SqlClient tx, String owner, long changeId) {
    return tx.preparedQuery("SELECT last_change_id, lease_owner FROM notify_matcher WHERE id = 1 FOR UPDATE")
        .execute()
        .map(rows -> {
          Row r = rows.iterator().next();
          return owner.equals(r.getString(1)) && r.getLong(0) < changeId;
        });
  }

  Future<Void> advance(SqlClient tx, long changeId) {
    return tx.preparedQuery("UPDATE notify_matcher SET last_change_id = $1 WHERE id = 1").execute(Tuple.of(changeId)).mapEmpty();
  }

  /**
   * The notice of a change: new, or the one a first transaction wrote before a crash or a lost
   * lease (the change is not done while the checkpoint is below it, so its notice is unfinished).
   */
  Future<Long> insertNotice(SqlClient tx, long changeId, String kind, ContentPage page) {
    return tx.preparedQuery("INSERT INTO notice (tenant_code, change_id, kind, page_id, title, url, summary) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (change_id) DO UPDATE SET change_id = EXCLUDED.change_id RETURNING id")
        .execute(Tuple.of(page.tenantCode(), changeId, kind, page.id(), page.title(), page.url(), page.summary()))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Writes the notifications of the recipients with a live stream open, in one statement. */
  Future<List<Recipient>> insertLiveRecipients(SqlClient tx, long noticeId, String kind, ContentPage page, List<String> searchIds,
                                               LocalDate today) {
    return insert(tx, LIVE_RECIPIENTS, noticeId, kind, page, searchIds, today);
  }

  /** How many citizens a change of {@code page} matches now, without writing anything. */
  Future<Long> countMatches(SqlClient client, String kind, ContentPage page, List<String> searchIds, LocalDate today) {
    return client.preparedQuery(MATCHES).execute(parameters(-1, kind, page, searchIds, today))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** How many notifications a statement wrote, and some of them (all when there are no more than asked for). */
  record Written(int count, List<Recipient> some) {}

  /**
   * Writes every recipient's notification in one statement (those written already are skipped);
   * returns how many, with at most {@code keep} of them.
   */
  Future<Written> insertRecipients(SqlClient tx, long noticeId, String kind, ContentPage page, List<String> searchIds,
                                   LocalDate today, int keep) {
    return tx.preparedQuery(ALL_RECIPIENTS_COUNTED).execute(parameters(noticeId, kind, page, searchIds, today).addInteger(keep))
        .map(rows -> {
          List<Recipient> some = new ArrayList<>(rows.size());
          long count = 0;
          for (Row r : rows) {
            count = r.getLong(0);
            some.add(new Recipient(r.getLong(1), r.getUUID(2)));
          }
          return new Written((int) count, some);
        });
  }

  private Future<List<Recipient>> insert(SqlClient tx, String sql, long noticeId, String kind, ContentPage page,
                                         List<String> searchIds, LocalDate today) {
    return tx.preparedQuery(sql).execute(parameters(noticeId, kind, page, searchIds, today)).map(rows -> {
      List<Recipient> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(new Recipient(r.getLong(0), r.getUUID(1))));
      return out;
    });
  }

  private static Tuple parameters(long noticeId, String kind, ContentPage page, List<String> searchIds, LocalDate today) {
    return Tuple.of(page.tenantCode(), page.category())
        .addArrayOfString(page.tags().toArray(String[]::new))
        .addArrayOfString(page.districts().toArray(String[]::new))
        .addArrayOfString(page.lifeStages().toArray(String[]::new))
        .addUUID(page.id())
        .addArrayOfUUID(searchIds.stream().map(UUID::fromString).toArray(UUID[]::new))
        .addLocalDate(today)
        .addLong(noticeId)
        .addBoolean("withdrawn".equals(kind));
  }

  /** Queues the channel deliveries of a notice's notifications and starts its counters, in one statement. */
  Future<Void> insertDeliveries(SqlClient tx, long noticeId, int recipients) {
    return tx.preparedQuery("UPDATE notice SET recipients = $2 WHERE id = $1").execute(Tuple.of(noticeId, recipients))
        .compose(v -> tx.preparedQuery(DELIVERIES).execute(Tuple.of(noticeId, recipients))).mapEmpty();
  }

  /** Adds to the notice's recipient count; the new total. */
  Future<Integer> addRecipients(SqlClient tx, long noticeId, int added) {
    return tx.preparedQuery("UPDATE notice SET recipients = recipients + $2 WHERE id = $1 RETURNING recipients")
        .execute(Tuple.of(noticeId, added)).map(rows -> rows.iterator().next().getInteger(0));
  }

  /** Queues the channel deliveries of all of a notice's notifications and starts its counters ({@code total} in the inbox). */
  Future<Void> queueDeliveries(SqlClient tx, long noticeId, int total) {
    return tx.preparedQuery(DELIVERIES).execute(Tuple.of(noticeId, total)).mapEmpty();
  }

  Future<Void> deleteNotice(SqlClient tx, long noticeId) {
    return tx.preparedQuery("DELETE FROM notice WHERE id = $1").execute(Tuple.of(noticeId)).mapEmpty();
  }
}

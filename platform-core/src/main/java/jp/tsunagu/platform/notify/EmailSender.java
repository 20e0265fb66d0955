package jp.tsunagu.platform.notify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.tsunagu.platform.mail.MailOutbox;
import jp.tsunagu.platform.mail.MailTexts.Mail;

/**
 * Turns due e-mail deliveries into mail: every node claims due rows ({@code FOR UPDATE SKIP
 * LOCKED}), writes one mail per citizen (a single notice, or a digest of everything due for them)
 * into the mail outbox with the RFC 8058 one-click unsubscribe headers, and marks the deliveries
 * sent, in one transaction — so a notice is mailed once; SMTP delivery and its retries are the
 * mail outbox's. Deliveries of a stopped channel are closed as such. The mail of a batch is
 * written in one statement, and a round goes on batch after batch while there is more.
 */
final class EmailSender {
  private static final int BATCH = 500;

  private final io.vertx.core.Vertx vertx;
  private final Pool pool;
  private final EmailChannel channel;
  private final ManageLinks manageLinks;
  private final AtomicBoolean running = new AtomicBoolean();

  EmailSender(io.vertx.core.Vertx vertx, Pool pool, EmailChannel channel, ManageLinks manageLinks) {
    this.vertx = vertx;
    this.pool = pool;
    this.channel = channel;
    this.manageLinks = manageLinks;
  }

  private record Due(long id, long noticeId, UUID accountId, String kind, String title, String url, String address,
                     boolean active, String language) {}

  /** Mails what is due; calls while one runs return at once. Completes with the number of mails written. */
  Future<Integer> drain() {
    if (!running.compareAndSet(false, true)) {
      return Future.succeededFuture(0);
    }
    return rounds(0).onComplete(ar -> running.set(false));
  }

  /** Batch after batch, each in its own transaction, until one comes back short. */
  private Future<Integer> rounds(int mailedSoFar) {
    int[] claimed = {0};
    return pool.withTransaction(tx -> round(tx, claimed)).onSuccess(mailed -> {
      if (mailed > 0) {
        vertx.eventBus().publish(MailOutbox.QUEUED, null); // committed: the mail sender can go at once
      }
    }).compose(mailed -> claimed[0] == BATCH
        ? rounds(mailedSoFar + mailed) : Future.succeededFuture(mailedSoFar + mailed));
  }

  private Future<Integer> round(SqlClient tx, int[] claimed) {
    return tx.preparedQuery("SELECT d.id, d.notice_id, d.account_id, o.kind, o.title, o.url, e.address, "
            + "(e.confirmed_at IS NOT NULL AND e.stopped_at IS NULL) AS active, coalesce(p.language, 'ja') AS language "
            + "FROM delivery d JOIN notice o ON o.id = d.notice_id "
            + "LEFT JOIN email_channel e ON e.account_id = d.account_id "
            + "LEFT JOIN interest_profile p ON p.account_id = d.account_id "
            + "WHERE d.channel = 'email' AND d.sent_at IS NULL AND d.failed_at IS NULL AND d.next_try_at <= now() "
            + "ORDER BY d.id LIMIT $1 FOR UPDATE OF d SKIP LOCKED")
        .execute(Tuple.of(BATCH))
        .compose(rows -> {
          claimed[0] = rows.size();
          Map<UUID, List<Due>> byAccount = new LinkedHashMap<>();
          List<Long> stopped = new ArrayList<>();
          for (Row r : rows) {
            Due d = new Due(r.getLong("id"), r.getLong("notice_id"), r.getUUID("account_id"), r.getString("kind"),
                r.getString("title"), r.getString("url"), r.getString("address"), Boolean.TRUE.equals(r.getBoolean("active")),
                r.getString("language"));
            if (d.active()) {
              byAccount.computeIfAbsent(d.accountId(), k -> new ArrayList<>()).add(d);
            } else {
              stopped.add(d.id());
            }
          }
          return mailAll(tx, byAccount).compose(n -> close(tx, stopped).map(n));
        });
  }

  private Future<Integer> mailAll(SqlClient tx, Map<UUID, List<Due>> byAccount) {
    if (byAccount.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<MailOutbox.Outgoing> mails = new ArrayList<>();
    List<Long> sent = new ArrayList<>();
    Map<Long, Integer> perNotice = new LinkedHashMap<>();
    for (List<Due> due : byAccount.values()) {
      Due first = due.get(0);
      String unsubscribe = channel.unsubscribeLink(first.accountId());
      Mail mail = NoticeMails.notices(first.language(), due.stream().map(d -> new NoticeMails.Item(d.kind(), d.title(), d.url())).toList(),
          manageLinks.link(first.accountId()), unsubscribe);
      JsonObject headers = new JsonObject().put("List-Unsubscribe", "<" + unsubscribe + ">")
          .put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
          .put("Auto-Submitted", "auto-generated");
      mails.add(new MailOutbox.Outgoing(first.address(), mail.subject(), mail.body(), headers));
      due.forEach(d -> {
        sent.add(d.id());
        perNotice.merge(d.noticeId(), 1, Integer::sum);
      });
    }
    return MailOutbox.enqueueAll(tx, mails)
        .compose(v -> tx.preparedQuery("UPDATE delivery SET sent_at = now(), last_error = NULL WHERE id = ANY($1)")
            .execute(Tuple.of(sent.toArray(Long[]::new))))
        .compose(v -> DeliveryStats.add(tx, "email", perNotice, "sent"))
        .map(byAccount.size());
  }

  private Future<Void> close(SqlClient tx, List<Long> stopped) {
    if (stopped.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery("UPDATE delivery SET failed_at = now(), last_error = 'e-mail channel stopped' WHERE id = ANY($1)")
        .execute(Tuple.of(stopped.toArray(Long[]::new))).mapEmpty();
  }
}

package jp.tsunagu.platform.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import jp.tsunagu.platform.audit.AuditLog;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.notify.MatchRepository.Recipient;
import jp.tsunagu.platform.staff.Staff;

/**
 * Life-stage programmes (as 母子モ does): a message for a day in a pregnancy ("week 20": the due
 * date less 280 days plus 7 per week) or in a child's life ("1 year 2 months" after the birth date).
 * Every node runs the round; a citizen whose day has come (or came in the last {@value #CATCH_UP_DAYS}
 * days, so a stopped platform catches up) gets the message once per child or pregnancy, by the key of
 * {@code life_stage_sent}; channel deliveries keep to the quiet hours.
 */
public final class LifeStageProgrammes {
  static final int CATCH_UP_DAYS = 3;

  private final Vertx vertx;
  private final Pool pool;
  private final MatchRepository matches;
  private final Supplier<LocalDate> today;

  LifeStageProgrammes(Vertx vertx, Pool pool, MatchRepository matches, Supplier<LocalDate> today) {
    this.vertx = vertx;
    this.pool = pool;
    this.matches = matches;
    this.today = today;
  }

  /** A pregnancy week (4–41) or a child's age (months and days); exactly one of the two. */
  public Future<JsonObject> create(Staff author, String tenant, String title, String url, String summary, Integer pregnancyWeek,
                                   Integer ageMonths, Integer ageDays) {
    if ((pregnancyWeek == null) == (ageMonths == null && ageDays == null)) {
      return Future.failedFuture(ProblemException.badRequest("invalid-programme", "Give a pregnancy week or a child's age, not both"));
    }
    String anchor = pregnancyWeek != null ? "due" : "birth";
    int months = pregnancyWeek != null ? 0 : ageMonths == null ? 0 : ageMonths;
    int days = pregnancyWeek != null ? pregnancyWeek * 7 - 280 : ageDays == null ? 0 : ageDays;
    UUID id = UUID.randomUUID();
    return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO life_stage_message (id, tenant_code, anchor, months, days, "
                + "title, url, summary, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .execute(Tuple.of(id, tenant, anchor, months, days, title, url, summary == null ? "" : summary).addUUID(author.id()))
            .compose(v -> AuditLog.record(tx, tenant, author.id(), "life_stage_message.created", "life_stage_message",
                id.toString(), new JsonObject().put("anchor", anchor).put("months", months).put("days", days))))
        .map(v -> json(id, anchor, months, days, title, url));
  }

  public Future<JsonArray> list(String tenant) {
    return pool.preparedQuery("SELECT * FROM life_stage_message WHERE tenant_code = $1 AND deleted_at IS NULL ORDER BY anchor, months, days")
        .execute(Tuple.of(tenant)).map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(json(r.getUUID("id"), r.getString("anchor"), r.getInteger("months"), r.getInteger("days"),
              r.getString("title"), r.getString("url"))));
          return out;
        });
  }

  public Future<Void> delete(Staff actor, String tenant, UUID id) {
    return pool.withTransaction(tx -> tx.preparedQuery("UPDATE life_stage_message SET deleted_at = now() WHERE id = $1 "
            + "AND tenant_code = $2 AND deleted_at IS NULL").execute(Tuple.of(id, tenant))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture()
            : AuditLog.record(tx, tenant, actor.id(), "life_stage_message.deleted", "life_stage_message", id.toString(), new JsonObject())));
  }

  /** Sends the messages whose day has come; completes with the number of notifications written. */
  public Future<Integer> run() {
    List<Runnable> live = new ArrayList<>();
    return pool.withTransaction(tx -> round(tx, live)).onSuccess(n -> live.forEach(Runnable::run));
  }

  private Future<Integer> round(SqlClient tx, List<Runnable> live) {
    return tx.preparedQuery("INSERT INTO life_stage_sent (message_id, account_id, anchor_date) "
            + "SELECT m.id, p.account_id, d FROM life_stage_message m "
            + "JOIN interest_profile p ON p.tenant_code = m.tenant_code "
            + "JOIN account a ON a.id = p.account_id AND a.deleted_at IS NULL "
            + "CROSS JOIN LATERAL unnest(CASE WHEN m.anchor = 'due' THEN ARRAY[p.due_date] ELSE p.child_birth_dates END) AS d "
            + "WHERE m.deleted_at IS NULL AND d IS NOT NULL "
            + "AND (d + make_interval(months => m.months, days => m.days))::date BETWEEN $1::date - $2::int AND $1::date "
            + "ON CONFLICT DO NOTHING RETURNING message_id, account_id")
        .execute(Tuple.of(today.get(), CATCH_UP_DAYS))
        .compose(rows -> {
          Map<UUID, List<UUID>> byMessage = new LinkedHashMap<>();
          for (Row r : rows) {
            byMessage.computeIfAbsent(r.getUUID(0), k -> new ArrayList<>()).add(r.getUUID(1));
          }
          Future<Integer> chain = Future.succeededFuture(0);
          for (var e : byMessage.entrySet()) {
            chain = chain.compose(n -> send(tx, e.getKey(), e.getValue(), live).map(k -> n + k));
          }
          return chain;
        });
  }

  private Future<Integer> send(SqlClient tx, UUID messageId, List<UUID> accounts, List<Runnable> live) {
    return tx.preparedQuery("INSERT INTO notice (tenant_code, kind, title, url, summary) SELECT tenant_code, 'programme', title, url, "
            + "summary FROM life_stage_message WHERE id = $1 RETURNING id, tenant_code, title, url, summary, created_at")
        .execute(Tuple.of(messageId))
        .compose(notice -> {
          Row o = notice.iterator().next();
          long noticeId = o.getLong("id");
          return tx.preparedQuery("INSERT INTO notification (notice_id, account_id, frequency, reasons) "
                  + "SELECT $1, a, 0, ARRAY['programme'] FROM unnest($2::uuid[]) AS a ON CONFLICT DO NOTHING RETURNING id, account_id")
              .execute(Tuple.of(noticeId).addArrayOfUUID(accounts.toArray(UUID[]::new)))
              .compose(inserted -> {
                List<Recipient> recipients = new ArrayList<>();
                inserted.forEach(r -> recipients.add(new Recipient(r.getLong(0), r.getUUID(1))));
                JsonObject message = new JsonObject().put("tenantCode", o.getString("tenant_code")).put("kind", "programme")
                    .put("title", o.getString("title")).put("url", o.getString("url")).put("summary", o.getString("summary"))
                    .put("read", false).put("createdAt", o.getOffsetDateTime("created_at").withOffsetSameInstant(ZoneOffset.UTC).toString());
                live.add(() -> LiveFanOut.committed(vertx, noticeId, recipients, recipients.size(), message));
                return matches.insertDeliveries(tx, noticeId, recipients.size()).map(recipients.size());
              });
        });
  }

  private static JsonObject json(UUID id, String anchor, int months, int days, String title, String url) {
    JsonObject json = new JsonObject().put("id", id.toString()).put("title", title).put("url", url);
    if ("due".equals(anchor)) {
      json.put("pregnancyWeek", (days + 280) / 7);
    } else {
      json.put("ageMonths", months).put("ageDays", days);
    }
    return json;
  }
}

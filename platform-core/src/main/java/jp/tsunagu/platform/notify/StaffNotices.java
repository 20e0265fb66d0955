package jp.tsunagu.platform.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import jp.tsunagu.platform.audit.AuditLog;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.notify.MatchRepository.Recipient;
import jp.tsunagu.platform.staff.Staff;

/**
 * Notices staff compose for a segment of a municipality's citizens: everyone whose profile has one
 * of the categories, one of the districts and one of the life stages (today) — an empty list is no
 * restriction. Staff see the reach (how many, per channel) before sending, schedule it, and may
 * cancel until it goes. Every node looks for due notices; the one that claims a notice writes it,
 * every recipient's notification (one {@code INSERT … SELECT}) and the channel deliveries in one
 * transaction, so it goes exactly once.
 */
public final class StaffNotices {
  /** Who is in a segment, as SQL over interest_profile p with $1 tenant, $2 categories, $3 districts, $4 stages, $5 today. */
  private static final String SEGMENT = "p.tenant_code = $1 AND (cardinality($2::text[]) = 0 OR p.interests && $2::text[]) "
      + "AND (cardinality($3::text[]) = 0 OR p.districts && $3::text[]) "
      + "AND (cardinality($4::text[]) = 0 OR life_stages(p.due_date, p.child_birth_dates, $5::date) && $4::text[])";

  /** A segment of a municipality's citizens. */
  public record Segment(List<String> categories, List<String> districts, List<String> lifeStages) {}

  private final Vertx vertx;
  private final Pool pool;
  private final MatchRepository matches;
  private final Supplier<java.time.LocalDate> today;

  StaffNotices(Vertx vertx, Pool pool, MatchRepository matches, Supplier<java.time.LocalDate> today) {
    this.vertx = vertx;
    this.pool = pool;
    this.matches = matches;
    this.today = today;
  }

  /** How many citizens the segment reaches now, in all and per channel they would get it by. */
  public Future<JsonObject> reach(String tenant, Segment segment) {
    return check(pool, tenant, segment).compose(v -> pool.preparedQuery("SELECT count(*), "
            + "count(*) FILTER (WHERE 'email' = ANY(p.channels) AND EXISTS (SELECT 1 FROM email_channel e WHERE "
            + "e.account_id = p.account_id AND e.confirmed_at IS NOT NULL AND e.stopped_at IS NULL)), "
            + "count(*) FILTER (WHERE 'webhook' = ANY(p.channels) AND EXISTS (SELECT 1 FROM webhook_endpoint w WHERE "
            + "w.account_id = p.account_id AND w.disabled_at IS NULL)), "
            + "count(*) FILTER (WHERE 'webpush' = ANY(p.channels) AND EXISTS (SELECT 1 FROM push_subscription s WHERE "
            + "s.account_id = p.account_id AND s.disabled_at IS NULL)) "
            + "FROM interest_profile p JOIN account a ON a.id = p.account_id AND a.deleted_at IS NULL WHERE " + SEGMENT)
        .execute(segmentTuple(tenant, segment)))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new JsonObject().put("total", r.getLong(0)).put("channels", new JsonObject().put("inbox", r.getLong(0))
              .put("email", r.getLong(1)).put("webhook", r.getLong(2)).put("webpush", r.getLong(3)));
        });
  }

  /** Stores a notice to go at {@code sendAt} (null: now), with the reach at this moment. */
  public Future<JsonObject> compose(Staff author, String tenant, String title, String url, String summary, Segment segment,
                                    OffsetDateTime sendAt) {
    UUID id = UUID.randomUUID();
    OffsetDateTime when = sendAt == null ? OffsetDateTime.now(ZoneOffset.UTC) : sendAt;
    return pool.withTransaction(tx -> check(tx, tenant, segment)
            .compose(v -> tx.preparedQuery("INSERT INTO staff_notice (id, tenant_code, title, url, summary, categories, districts, "
                    + "life_stages, send_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .execute(Tuple.of(id, tenant, title, url, summary == null ? "" : summary)
                    .addArrayOfString(segment.categories().toArray(String[]::new))
                    .addArrayOfString(segment.districts().toArray(String[]::new))
                    .addArrayOfString(segment.lifeStages().toArray(String[]::new))
                    .addOffsetDateTime(when).addUUID(author.id())))
            .compose(v -> AuditLog.record(tx, tenant, author.id(), "staff_notice.created", "staff_notice", id.toString(),
                new JsonObject().put("sendAt", when.toString()))))
        .compose(v -> get(tenant, id))
        .compose(notice -> reach(tenant, segment).map(reach -> notice.put("reach", reach)));
  }

  /** Cancels a notice that has not gone; cancelling a cancelled one succeeds; one that went is a 409. */
  public Future<Void> cancel(Staff actor, String tenant, UUID id) {
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT sent_at, cancelled_at FROM staff_notice WHERE id = $1 "
            + "AND tenant_code = $2 FOR UPDATE").execute(Tuple.of(id, tenant))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ProblemException.notFound("Notice " + id));
          }
          Row r = rows.iterator().next();
          if (r.getOffsetDateTime("sent_at") != null) {
            return Future.failedFuture(ProblemException.conflict("notice-sent", "The notice went out already"));
          }
          if (r.getOffsetDateTime("cancelled_at") != null) {
            return Future.succeededFuture();
          }
          return tx.preparedQuery("UPDATE staff_notice SET cancelled_at = now() WHERE id = $1").execute(Tuple.of(id))
              .compose(v -> AuditLog.record(tx, tenant, actor.id(), "staff_notice.cancelled", "staff_notice", id.toString(),
                  new JsonObject()));
        }));
  }

  /**
   * A personal notice (what used to be a letter) to the citizen verified as living at a resident
   * record of the municipality: their inbox, and their channels. 422 when no verified account
   * belongs to the record. Audited, without the text.
   */
  public Future<JsonObject> sendPersonal(Staff clerk, String tenant, UUID recordId, String title, String url, String summary) {
    List<Runnable> live = new ArrayList<>();
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT r.account_id FROM residence r JOIN account a ON a.id = r.account_id "
                + "AND a.deleted_at IS NULL WHERE r.record_id = $1 AND r.tenant_code = $2 AND r.ended_at IS NULL")
            .execute(Tuple.of(recordId, tenant))
            .compose(rows -> rows.size() == 0
                ? Future.failedFuture(ProblemException.unprocessable("not-resident-verified",
                    "No citizen account is verified for this resident record; send a letter"))
                : personal(tx, tenant, rows.iterator().next().getUUID(0), title, url, summary, live))
            .compose(notice -> AuditLog.record(tx, tenant, clerk.id(), "personal_notice.sent", "resident_record",
                recordId.toString(), new JsonObject().put("notice", notice.getLong("noticeId"))).map(notice)))
        .onSuccess(v -> live.forEach(Runnable::run));
  }

  private Future<JsonObject> personal(SqlClient tx, String tenant, UUID accountId, String title, String url, String summary,
                                      List<Runnable> live) {
    return tx.preparedQuery("INSERT INTO notice (tenant_code, kind, title, url, summary) VALUES ($1, 'personal', $2, $3, $4) "
            + "RETURNING id, created_at").execute(Tuple.of(tenant, title, url, summary == null ? "" : summary))
        .compose(notice -> {
          long noticeId = notice.iterator().next().getLong(0);
          String at = notice.iterator().next().getOffsetDateTime(1).withOffsetSameInstant(ZoneOffset.UTC).toString();
          return tx.preparedQuery("INSERT INTO notification (notice_id, account_id, frequency, reasons) "
                  + "VALUES ($1, $2, 0, ARRAY['personal']) RETURNING id").execute(Tuple.of(noticeId, accountId))
              .compose(n -> {
                Recipient recipient = new Recipient(n.iterator().next().getLong(0), accountId);
                live.add(() -> LiveFanOut.committed(vertx, noticeId, List.of(recipient), 1, new JsonObject().put("tenantCode", tenant)
                    .put("kind", "personal").put("title", title).put("url", url).put("summary", summary == null ? "" : summary)
                    .put("read", false).put("createdAt", at)));
                return matches.insertDeliveries(tx, noticeId, 1);
              })
              .map(v -> new JsonObject().put("noticeId", noticeId).put("createdAt", at));
        });
  }

  public Future<JsonObject> get(String tenant, UUID id) {
    return pool.preparedQuery("SELECT s.*, o.recipients FROM staff_notice s LEFT JOIN notice o ON o.id = s.notice_id "
            + "WHERE s.id = $1 AND s.tenant_code = $2").execute(Tuple.of(id, tenant))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(ProblemException.notFound("Notice " + id))
            : Future.succeededFuture(json(rows.iterator().next())));
  }

  public Future<JsonArray> list(String tenant) {
    return pool.preparedQuery("SELECT s.*, o.recipients FROM staff_notice s LEFT JOIN notice o ON o.id = s.notice_id "
            + "WHERE s.tenant_code = $1 ORDER BY s.created_at DESC LIMIT 200").execute(Tuple.of(tenant))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(json(r)));
          return out;
        });
  }

  /** Sends the notices that are due, one transaction each; completes with how many went. */
  Future<Integer> sendDue() {
    return pool.withTransaction(this::sendOne).compose(live -> {
      if (live == null) {
        return Future.succeededFuture(0);
      }
      live.run(); // the transaction has committed: now the live messages
      return sendDue().map(n -> n + 1);
    });
  }

  /** Writes one due notice; the live fan-out to run after the commit, or null when none is due. */
  private Future<Runnable> sendOne(SqlClient tx) {
    return tx.preparedQuery("SELECT * FROM staff_notice WHERE sent_at IS NULL AND cancelled_at IS NULL AND send_at <= now() "
            + "ORDER BY send_at LIMIT 1 FOR UPDATE SKIP LOCKED").execute()
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture((Runnable) null);
          }
          Row s = rows.iterator().next();
          String tenant = s.getString("tenant_code");
          Segment segment = new Segment(List.of(s.getArrayOfStrings("categories")), List.of(s.getArrayOfStrings("districts")),
              List.of(s.getArrayOfStrings("life_stages")));
          return tx.preparedQuery("INSERT INTO notice (tenant_code, kind, title, url, summary) VALUES ($1, 'staff', $2, $3, $4) "
                  + "RETURNING id, created_at").execute(Tuple.of(tenant, s.getString("title"), s.getString("url"), s.getString("summary")))
              .compose(notice -> {
                long noticeId = notice.iterator().next().getLong(0);
                Tuple t = segmentTuple(tenant, segment).addLong(noticeId);
                return tx.preparedQuery("INSERT INTO notification (notice_id, account_id, frequency, reasons) "
                        + "SELECT $6, p.account_id, 0, ARRAY['staff'] FROM interest_profile p JOIN account a ON a.id = p.account_id "
                        + "AND a.deleted_at IS NULL WHERE " + SEGMENT + " ON CONFLICT (notice_id, account_id) DO NOTHING "
                        + "RETURNING id, account_id").execute(t)
                    .compose(inserted -> {
                      List<Recipient> recipients = new ArrayList<>(inserted.size());
                      inserted.forEach(r -> recipients.add(new Recipient(r.getLong(0), r.getUUID(1))));
                      return matches.insertDeliveries(tx, noticeId, recipients.size())
                          .compose(v -> tx.preparedQuery("UPDATE staff_notice SET sent_at = now(), notice_id = $2 WHERE id = $1")
                              .execute(Tuple.of(s.getUUID("id"), noticeId)))
                          .map(v -> {
                            JsonObject live = new JsonObject().put("tenantCode", tenant).put("kind", "staff")
                                .put("title", s.getString("title")).put("url", s.getString("url"))
                                .put("summary", s.getString("summary")).put("read", false)
                                .put("createdAt", notice.iterator().next().getOffsetDateTime(1).withOffsetSameInstant(ZoneOffset.UTC).toString());
                            return (Runnable) () -> LiveFanOut.committed(vertx, noticeId, recipients, recipients.size(), live);
                          });
                    });
              });
        });
  }

  private Future<Void> check(SqlClient db, String tenant, Segment segment) {
    for (String stage : segment.lifeStages()) {
      if (!List.of("pregnancy", "infant", "preschool", "school_age", "youth", "adult", "senior").contains(stage)) {
        return Future.failedFuture(ProblemException.badRequest("unknown-life-stage", "Unknown life stage " + stage));
      }
    }
    return unknown(db, "SELECT c FROM unnest($2::text[]) AS c WHERE NOT EXISTS (SELECT 1 FROM content_taxonomy t "
            + "WHERE t.tenant_code = $1 AND t.kind = 'category' AND t.code = c)", tenant, segment.categories(), "unknown-category")
        .compose(v -> unknown(db, "SELECT c FROM unnest($2::text[]) AS c WHERE NOT EXISTS (SELECT 1 FROM district d "
            + "WHERE d.tenant_code = $1 AND d.code = c)", tenant, segment.districts(), "unknown-district"));
  }

  private static Future<Void> unknown(SqlClient db, String sql, String tenant, List<String> codes, String type) {
    if (codes.isEmpty()) {
      return Future.succeededFuture();
    }
    return db.preparedQuery(sql).execute(Tuple.of(tenant).addArrayOfString(codes.toArray(String[]::new))).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture();
      }
      List<String> missing = new ArrayList<>();
      rows.forEach(r -> missing.add(r.getString(0)));
      return Future.failedFuture(ProblemException.badRequest(type, "Unknown in " + tenant + ": " + String.join(", ", missing)));
    });
  }

  private Tuple segmentTuple(String tenant, Segment segment) {
    return Tuple.of(tenant).addArrayOfString(segment.categories().toArray(String[]::new))
        .addArrayOfString(segment.districts().toArray(String[]::new))
        .addArrayOfString(segment.lifeStages().toArray(String[]::new)).addLocalDate(today.get());
  }

  private static JsonObject json(Row r) {
    String state = r.getOffsetDateTime("sent_at") != null ? "sent" : r.getOffsetDateTime("cancelled_at") != null ? "cancelled" : "scheduled";
    return new JsonObject().put("id", r.getUUID("id").toString()).put("title", r.getString("title")).put("url", r.getString("url"))
        .put("summary", r.getString("summary")).put("state", state)
        .put("segment", new JsonObject().put("categories", new JsonArray(List.of(r.getArrayOfStrings("categories"))))
            .put("districts", new JsonArray(List.of(r.getArrayOfStrings("districts"))))
            .put("lifeStages", new JsonArray(List.of(r.getArrayOfStrings("life_stages")))))
        .put("sendAt", r.getOffsetDateTime("send_at").withOffsetSameInstant(ZoneOffset.UTC).toString())
        .put("sentAt", r.getOffsetDateTime("sent_at") == null ? null : r.getOffsetDateTime("sent_at").withOffsetSameInstant(ZoneOffset.UTC).toString())
        .put("recipients", r.getInteger("recipients"));
  }
}

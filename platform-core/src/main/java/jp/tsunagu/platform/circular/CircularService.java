package jp.tsunagu.platform.circular;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.consent.accesslog.AccessEvent;
import jp.tsunagu.consent.accesslog.AccessKind;
import jp.tsunagu.consent.declaration.DeclaredItem;
import jp.tsunagu.consent.declaration.DeclaredPurpose;
import jp.tsunagu.consent.declaration.LocalizedText;
import jp.tsunagu.consent.declaration.ServiceDeclaration;
import jp.tsunagu.consent.decision.ConsentKey;
import jp.tsunagu.consent.decision.Decision;
import jp.tsunagu.consent.ledger.Actor;
import jp.tsunagu.consent.ledger.Channel;
import jp.tsunagu.consent.ledger.ConsentRequest;
import jp.tsunagu.consent.withdrawal.WithdrawalRequest;
import jp.tsunagu.platform.audit.AuditLog;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.security.Tokens;
import jp.tsunagu.platform.staff.Staff;

/**
 * Neighbourhood associations and their circulars (回覧板), as the first service linked by consent.
 * A household joins with the invitation code its officer hands out and the citizen's consent to
 * share their name and address block with the association; officers see members' names only
 * through the consent gate, and each such read is written to the citizen's access log. Leaving
 * withdraws the consent and ends access at once.
 */
public final class CircularService {
  public static final String ITEM_NAME = "name";
  public static final String ITEM_ADDRESS = "address_block";
  public static final String PURPOSE = "circular_delivery";
  private static final int MAX_CHOICES = 10;

  private final Pool pool;
  private final ConsentModule consent;

  public CircularService(Pool pool, ConsentModule consent) {
    this.pool = pool;
    this.consent = consent;
  }

  /** The consent service id of an association: each association is its own data recipient. */
  public static String serviceId(UUID associationId) {
    return "association:" + associationId;
  }

  public record Association(UUID id, String tenantCode, String districtCode, String name) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("tenantCode", tenantCode).put("districtCode", districtCode)
          .put("name", name);
    }
  }

  /** Staff create an association for a district and appoint its first officer (a citizen account). */
  public Future<Association> createAssociation(Staff staff, String tenantCode, String districtCode, String name,
                                               UUID officerAccountId) {
    UUID id = UUID.randomUUID();
    Association association = new Association(id, tenantCode, districtCode, name.strip());
    ServiceDeclaration declaration = new ServiceDeclaration(tenantCode, serviceId(id), 1,
        new LocalizedText(name + "（町会・自治会）に、回覧板のお届けのため氏名（必須）と住所の街区（任意）をお知らせします。",
            "Your name (required) and address block (optional) are shared with " + name + " to deliver its circulars."),
        List.of(new DeclaredItem(ITEM_NAME, true, new LocalizedText("氏名", "Name")),
            new DeclaredItem(ITEM_ADDRESS, false, new LocalizedText("住所（街区）", "Address block"))),
        List.of(new DeclaredPurpose(PURPOSE, new LocalizedText("回覧板の配布", "Circular delivery"))),
        serviceId(id), Optional.empty(), Instant.now());
    return pool.withTransaction(tx -> tx.preparedQuery(
                "INSERT INTO association (id, tenant_code, district_code, name) VALUES ($1, $2, $3, $4)")
            .execute(Tuple.of(id, tenantCode, districtCode, association.name()))
            .compose(r -> tx.preparedQuery("INSERT INTO association_officer (association_id, account_id, title) VALUES ($1, $2, '会長')")
                .execute(Tuple.of(id, officerAccountId)))
            .compose(r -> AuditLog.record(tx, tenantCode, staff.id(), "association.created", "association", id.toString(),
                association.toJson().put("officer", officerAccountId.toString()))))
        .recover(err -> err instanceof io.vertx.pgclient.PgException pg && "23503".equals(pg.getSqlState())
            ? Future.failedFuture(ProblemException.unprocessable("unknown-reference", "Unknown district or officer account"))
            : Future.failedFuture(err))
        .compose(v -> consent.declarations().publish(declaration))
        .map(association);
  }

  public Future<Association> association(UUID id) {
    return pool.preparedQuery("SELECT * FROM association WHERE id = $1").execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(ProblemException.notFound("Association " + id))
            : Future.succeededFuture(mapAssociation(rows.iterator().next())));
  }

  /** Checks that the account is an officer of the association (404 otherwise: it does not learn it exists). */
  public Future<Association> asOfficer(UUID accountId, UUID associationId) {
    return pool.preparedQuery("SELECT a.* FROM association a JOIN association_officer o ON o.association_id = a.id "
            + "WHERE a.id = $1 AND o.account_id = $2").execute(Tuple.of(associationId, accountId))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(ProblemException.notFound("Association " + associationId))
            : Future.succeededFuture(mapAssociation(rows.iterator().next())));
  }

  /** An officer adds a household to the roll; the answer carries its one-time invitation code. */
  public Future<JsonObject> addHousehold(UUID officerId, UUID associationId, String label, String addressBlock) {
    String code = Tokens.residenceCode();
    UUID id = UUID.randomUUID();
    return asOfficer(officerId, associationId).compose(a -> pool.preparedQuery(
            "INSERT INTO association_household (id, association_id, label, address_block, invitation_hash, invitation_expires_at) "
                + "VALUES ($1, $2, $3, $4, $5, now() + interval '90 days')")
        .execute(Tuple.of(id, associationId, label.strip(), addressBlock.strip(),
            Buffer.buffer(Tokens.sha256(Tokens.normaliseCode(code)))))
        .recover(err -> jp.tsunagu.platform.account.AccountService.isUniqueViolation(err)
            ? Future.failedFuture(ProblemException.conflict("household-exists", "A household with this label exists"))
            : Future.failedFuture(err))
        .map(r -> new JsonObject().put("id", id.toString()).put("label", label.strip()).put("invitationCode", code)));
  }

  /**
   * A citizen joins a household of an association with its invitation code, consenting to share
   * the declared items. Consent and membership are written before the answer; a refused or
   * incomplete consent joins nothing.
   */
  public Future<Association> join(UUID accountId, String code, Set<String> consentedItems) {
    byte[] hash = Tokens.sha256(Tokens.normaliseCode(code == null ? "" : code));
    return pool.preparedQuery("SELECT h.id, h.association_id, a.tenant_code FROM association_household h "
            + "JOIN association a ON a.id = h.association_id WHERE h.invitation_hash = $1 AND h.invitation_expires_at > now()")
        .execute(Tuple.of(Buffer.buffer(hash)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ProblemException.badRequest("invalid-code", "This invitation code is not valid"));
          }
          Row row = rows.iterator().next();
          UUID household = row.getUUID(0);
          UUID associationId = row.getUUID(1);
          String tenant = row.getString(2);
          return consent.declarations().current(tenant, serviceId(associationId))
              .compose(decl -> consent.consents().give(new ConsentRequest(tenant, accountId.toString(), serviceId(associationId),
                  decl.noticeVersion(), consentedItems, Set.of(PURPOSE), Actor.citizen(accountId.toString(), Channel.WEB),
                  Optional.empty())))
              .compose(record -> pool.withTransaction(tx -> tx.preparedQuery(
                      "INSERT INTO association_member (household_id, association_id, account_id) VALUES ($1, $2, $3)")
                  .execute(Tuple.of(household, associationId, accountId))
                  .compose(r -> tx.preparedQuery("UPDATE association_household SET invitation_hash = NULL WHERE id = $1")
                      .execute(Tuple.of(household)))))
              .recover(err -> jp.tsunagu.platform.account.AccountService.isUniqueViolation(err)
                  ? Future.failedFuture(ProblemException.conflict("already-member", "This household or account is already a member"))
                  : Future.failedFuture(err))
              .compose(v -> association(associationId));
        });
  }

  /** The citizen leaves: consent is withdrawn (on every node) and the membership ends. */
  public Future<Void> leave(UUID accountId, UUID associationId) {
    return association(associationId)
        .compose(a -> pool.preparedQuery("UPDATE association_member SET left_at = now() WHERE association_id = $1 "
                + "AND account_id = $2 AND left_at IS NULL").execute(Tuple.of(associationId, accountId))
            .compose(r -> consent.withdrawals().withdraw(new WithdrawalRequest(a.tenantCode(), accountId.toString(),
                serviceId(associationId), Actor.citizen(accountId.toString(), Channel.WEB)))))
        .mapEmpty();
  }

  /**
   * Sends a circular to every current member household: the circular and all its receipt rows in
   * one transaction, the receipts written by one INSERT … SELECT.
   */
  public Future<JsonObject> send(UUID officerId, UUID associationId, String title, String body, String question,
                                 List<String> answers, OffsetDateTime deadline) {
    List<String> choices = answers == null || answers.isEmpty() ? null : answers;
    if ((question == null) != (choices == null || choices.isEmpty())) {
      return Future.failedFuture(ProblemException.badRequest("invalid-question", "A question needs 2 to 10 choices, and choices need a question"));
    }
    if (choices != null && (choices.size() < 2 || choices.size() > MAX_CHOICES || Set.copyOf(choices).size() != choices.size())) {
      return Future.failedFuture(ProblemException.badRequest("invalid-question", "A question needs 2 to 10 different choices"));
    }
    if (deadline != null && deadline.isBefore(OffsetDateTime.now(ZoneOffset.UTC))) {
      return Future.failedFuture(ProblemException.badRequest("invalid-deadline", "The deadline is in the past"));
    }
    UUID id = UUID.randomUUID();
    return asOfficer(officerId, associationId).compose(a -> pool.withTransaction(tx -> tx.preparedQuery(
                "INSERT INTO circular (id, association_id, title, body, question, choices, deadline, sent_by, sent_by_kind, recipients) "
                    + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'officer', "
                    + "(SELECT count(*) FROM association_member WHERE association_id = $2 AND left_at IS NULL))")
            .execute(Tuple.of(id, associationId, title, body).addValue(question)
                .addValue(choices == null ? null : choices.toArray(String[]::new)).addValue(deadline).addValue(officerId))
            .compose(r -> tx.preparedQuery("INSERT INTO circular_receipt (circular_id, household_id, account_id) "
                    + "SELECT $1, household_id, account_id FROM association_member WHERE association_id = $2 AND left_at IS NULL")
                .execute(Tuple.of(id, associationId)))
            .map(r -> new JsonObject().put("id", id.toString()).put("recipients", r.rowCount()))));
  }

  /**
   * A notice from the municipality to every association of the tenant (or the ones listed): one
   * circular per association, each with its receipts, in one transaction. Staff with the editor
   * or tenant-admin role send it; it is audited.
   */
  public Future<JsonObject> sendCityNotice(Staff staff, String tenantCode, List<UUID> associationIds, String title, String body) {
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT id FROM association WHERE tenant_code = $1 "
                + "AND (cardinality($2::uuid[]) = 0 OR id = ANY($2::uuid[])) ORDER BY id")
            .execute(Tuple.of(tenantCode).addArrayOfUUID(associationIds.toArray(UUID[]::new)))
            .compose(rows -> {
              List<UUID> targets = new ArrayList<>();
              rows.forEach(r -> targets.add(r.getUUID(0)));
              if (targets.size() != (associationIds.isEmpty() ? targets.size() : associationIds.size()) || targets.isEmpty()) {
                return Future.failedFuture(ProblemException.unprocessable("unknown-association",
                    "Every association must exist in this municipality, and there must be at least one"));
              }
              Future<Integer> chain = Future.succeededFuture(0);
              for (UUID association : targets) {
                UUID id = UUID.randomUUID();
                chain = chain.compose(total -> tx.preparedQuery(
                        "INSERT INTO circular (id, association_id, title, body, sent_by, sent_by_kind, recipients) "
                            + "VALUES ($1, $2, $3, $4, $5, 'city', (SELECT count(*) FROM association_member WHERE association_id = $2 AND left_at IS NULL))")
                    .execute(Tuple.of(id, association, title, body, staff.id()))
                    .compose(r -> tx.preparedQuery("INSERT INTO circular_receipt (circular_id, household_id, account_id) "
                            + "SELECT $1, household_id, account_id FROM association_member WHERE association_id = $2 AND left_at IS NULL")
                        .execute(Tuple.of(id, association)))
                    .map(r -> total + r.rowCount()));
              }
              return chain.compose(recipients -> AuditLog.record(tx, tenantCode, staff.id(), "association_notice.sent", "tenant",
                      tenantCode, new JsonObject().put("associations", targets.size()).put("recipients", recipients).put("title", title))
                  .map(new JsonObject().put("associations", targets.size()).put("recipients", recipients)));
            }));
  }

  /**
   * Mails each member household that has not answered a circular whose deadline is less than a
   * day away, once; returns how many reminders were queued. Several nodes may run it: the claim is
   * one UPDATE … RETURNING, so each reminder is queued once.
   */
  public Future<Integer> remindBeforeDeadlines() {
    return pool.withTransaction(tx -> tx.preparedQuery("UPDATE circular_receipt r SET reminded_at = now() FROM circular c, account a "
                + "WHERE c.id = r.circular_id AND a.id = r.account_id AND c.question IS NOT NULL AND r.answer IS NULL "
                + "AND r.reminded_at IS NULL AND c.deadline > now() AND c.deadline < now() + interval '1 day' "
                + "AND a.email IS NOT NULL RETURNING a.email, a.locale, c.title, c.deadline")
        .execute()
        .compose(rows -> {
          Future<Void> chain = Future.succeededFuture();
          for (Row r : rows) {
            boolean en = "en".equals(r.getString(1));
            String subject = en ? "Reminder: " + r.getString(2) : "【回覧板】回答期限が近づいています：" + r.getString(2);
            String body = en
                ? "The circular \"" + r.getString(2) + "\" asks for your answer by " + r.getOffsetDateTime(3) + ".\n"
                : "回覧板「" + r.getString(2) + "」への回答期限は " + r.getOffsetDateTime(3).atZoneSameInstant(java.time.ZoneId.of("Asia/Tokyo"))
                    .toLocalDateTime().toString().replace('T', ' ') + " です。\n";
            chain = chain.compose(v -> jp.tsunagu.platform.mail.MailOutbox.enqueue(tx, r.getString(0), subject, body));
          }
          return chain.map(rows.rowCount());
        }));
  }

  /** The member's circulars, newest first, with their read and answer state. */
  public Future<JsonArray> inbox(UUID accountId) {
    return pool.preparedQuery("SELECT c.id, c.association_id, a.name, c.title, c.sent_at, c.deadline, c.question, "
            + "r.read_at IS NOT NULL AS read, r.answer FROM circular_receipt r JOIN circular c ON c.id = r.circular_id "
            + "JOIN association a ON a.id = c.association_id "
            + "JOIN association_member m ON m.household_id = r.household_id AND m.account_id = $1 AND m.left_at IS NULL "
            + "WHERE r.account_id = $1 ORDER BY c.sent_at DESC LIMIT 200")
        .execute(Tuple.of(accountId))
        .map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            out.add(new JsonObject().put("id", r.getUUID(0).toString()).put("associationId", r.getUUID(1).toString())
                .put("associationName", r.getString(2)).put("title", r.getString(3)).put("sentAt", r.getOffsetDateTime(4).toString())
                .put("deadline", r.getOffsetDateTime(5) == null ? null : r.getOffsetDateTime(5).toString())
                .put("hasQuestion", r.getString(6) != null).put("read", r.getBoolean(7)).put("answer", r.getString(8)));
          }
          return out;
        });
  }

  /** Opens a circular as a member: the read receipt is written the first time. */
  public Future<JsonObject> open(UUID accountId, UUID circularId) {
    return pool.preparedQuery("UPDATE circular_receipt r SET read_at = coalesce(r.read_at, now()) FROM association_member m "
            + "WHERE r.circular_id = $1 AND r.account_id = $2 AND m.household_id = r.household_id AND m.account_id = $2 "
            + "AND m.left_at IS NULL RETURNING r.answer")
        .execute(Tuple.of(circularId, accountId))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(ProblemException.notFound("Circular " + circularId))
            : pool.preparedQuery("SELECT c.*, a.name AS association_name FROM circular c JOIN association a ON a.id = c.association_id WHERE c.id = $1")
                .execute(Tuple.of(circularId))
                .map(c -> circularJson(c.iterator().next()).put("answer", rows.iterator().next().getString(0))));
  }

  /** Answers a circular's question before its deadline; answering again replaces the answer. */
  public Future<Void> answer(UUID accountId, UUID circularId, String choice) {
    return open(accountId, circularId).compose(c -> {
      JsonArray choices = c.getJsonArray("choices");
      if (choices == null || !choices.contains(choice)) {
        return Future.failedFuture(ProblemException.badRequest("invalid-answer", "Not one of the circular's choices"));
      }
      String deadline = c.getString("deadline");
      if (deadline != null && OffsetDateTime.parse(deadline).isBefore(OffsetDateTime.now(ZoneOffset.UTC))) {
        return Future.failedFuture(ProblemException.gone("deadline-passed", "The deadline for answers has passed"));
      }
      return pool.preparedQuery("UPDATE circular_receipt SET answer = $3, answered_at = now() WHERE circular_id = $1 AND account_id = $2")
          .execute(Tuple.of(circularId, accountId, choice)).mapEmpty();
    });
  }

  /**
   * The officer's view of a circular: read count, tallies and each household's state. A member's
   * name appears only while the gate permits it (consent given for circular delivery), and each
   * name shown is written to that citizen's access log.
   */
  public Future<JsonObject> report(UUID officerId, UUID associationId, UUID circularId) {
    return asOfficer(officerId, associationId).compose(a -> pool.preparedQuery(
            "SELECT c.*, a.name AS association_name FROM circular c JOIN association a ON a.id = c.association_id "
                + "WHERE c.id = $1 AND c.association_id = $2").execute(Tuple.of(circularId, associationId))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(ProblemException.notFound("Circular " + circularId))
            : pool.preparedQuery("SELECT r.household_id, h.label, r.account_id, r.read_at, r.answer, acc.display_name, h.address_block "
                    + "FROM circular_receipt r JOIN association_household h ON h.id = r.household_id "
                    + "LEFT JOIN account acc ON acc.id = r.account_id WHERE r.circular_id = $1 ORDER BY h.label")
                .execute(Tuple.of(circularId))
                .compose(receipts -> households(a, receipts))
                .map(households -> {
                  JsonObject json = circularJson(rows.iterator().next());
                  long read = households.stream().map(JsonObject.class::cast).filter(h -> h.getBoolean("read")).count();
                  JsonObject tally = new JsonObject();
                  JsonArray choices = json.getJsonArray("choices");
                  if (choices != null) {
                    choices.forEach(ch -> tally.put((String) ch, households.stream().map(JsonObject.class::cast)
                        .filter(h -> ch.equals(h.getString("answer"))).count()));
                  }
                  return json.put("read", read).put("tally", tally).put("households", households);
                })));
  }

  private Future<JsonArray> households(Association a, io.vertx.sqlclient.RowSet<Row> receipts) {
    List<Future<JsonObject>> rows = new ArrayList<>();
    for (Row r : receipts) {
      UUID citizen = r.getUUID("account_id");
      ConsentKey key = new ConsentKey(a.tenantCode(), citizen.toString(), serviceId(a.id()));
      rows.add(consent.gate().decideItems(key, Set.of(ITEM_NAME, ITEM_ADDRESS), PURPOSE).compose(decisions -> {
        JsonObject h = new JsonObject().put("label", r.getString("label"))
            .put("read", r.getOffsetDateTime("read_at") != null).put("answer", r.getString("answer"));
        Decision name = decisions.get(ITEM_NAME);
        if (!name.permitted()) {
          return Future.succeededFuture(h);
        }
        h.put("name", r.getString("display_name"));
        Decision address = decisions.get(ITEM_ADDRESS);
        Set<String> released = address.permitted() ? Set.of(ITEM_NAME, ITEM_ADDRESS) : Set.of(ITEM_NAME);
        if (address.permitted()) {
          h.put("addressBlock", r.getString("address_block"));
        }
        return consent.accessLog().append(new AccessEvent(a.tenantCode(), citizen.toString(), serviceId(a.id()),
            AccessKind.READ, released, PURPOSE, name.consentId())).map(h);
      }));
    }
    return Future.all(rows).map(all -> {
      JsonArray out = new JsonArray();
      rows.forEach(f -> out.add(f.result()));
      return out;
    });
  }

  /** Households of the roll with no digital member: their circulars go on paper. */
  public Future<JsonArray> paperHouseholds(UUID officerId, UUID associationId) {
    return asOfficer(officerId, associationId).compose(a -> pool.preparedQuery(
            "SELECT h.label, h.address_block FROM association_household h WHERE h.association_id = $1 AND NOT EXISTS "
                + "(SELECT 1 FROM association_member m WHERE m.household_id = h.id AND m.left_at IS NULL) ORDER BY h.label")
        .execute(Tuple.of(associationId))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject().put("label", r.getString(0)).put("addressBlock", r.getString(1))));
          return out;
        }));
  }

  static JsonObject circularJson(Row c) {
    String[] choices = c.getArrayOfStrings("choices");
    return new JsonObject().put("id", c.getUUID("id").toString()).put("associationId", c.getUUID("association_id").toString())
        .put("associationName", c.getString("association_name")).put("title", c.getString("title")).put("body", c.getString("body"))
        .put("question", c.getString("question")).put("choices", choices == null ? null : new JsonArray(List.of((Object[]) choices)))
        .put("deadline", c.getOffsetDateTime("deadline") == null ? null : c.getOffsetDateTime("deadline").toString())
        .put("sentAt", c.getOffsetDateTime("sent_at").toString()).put("recipients", c.getInteger("recipients"));
  }

  private static Association mapAssociation(Row r) {
    return new Association(r.getUUID("id"), r.getString("tenant_code"), r.getString("district_code"), r.getString("name"));
  }
}

package jp.tsunagu.platform.consentlink;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.http.Api.body;
import static jp.tsunagu.platform.http.Api.path;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.consent.ledger.Actor;
import jp.tsunagu.consent.ledger.Channel;
import jp.tsunagu.consent.ledger.ConsentRecord;
import jp.tsunagu.consent.ledger.ConsentRequest;
import jp.tsunagu.consent.withdrawal.WithdrawalRequest;
import jp.tsunagu.platform.audit.AuditLog;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.residence.ResidenceService;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.StaffService;

/**
 * Decisions made for someone else, recorded as such in the ledger: a clerk records what a resident
 * decided on paper or at the counter (assisted mode, with the form's reference), and a guardian
 * decides for a child they have claimed as dependant. A child is known to the ledger by their
 * resident record id; the decisions of citizens about themselves are in {@link ConsentHandlers}.
 */
public final class OnBehalfHandlers {
  private final ConsentModule consent;
  private final ResidenceService residence;
  private final Pool pool;
  private final Auth auth;

  public OnBehalfHandlers(ConsentModule consent, ResidenceService residence, Pool pool, Auth auth) {
    this.consent = consent;
    this.residence = residence;
    this.pool = pool;
    this.auth = auth;
  }

  /** POST /api/v1/tenants/{tenantCode}/resident-records/{recordId}/consents */
  public void recordAssistedConsent(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    UUID recordId = UUID.fromString(path(ctx, "recordId"));
    JsonObject b = body(ctx);
    String service = b.getString("serviceId");
    String decision = b.getString("decision");
    Channel channel = Channel.fromDb(b.getString("channel"));
    String evidence = b.getString("evidenceRef").strip();
    respond(ctx, 201, auth.staff(ctx).compose(staff -> attempt(() -> {
      StaffService.authorise(staff, tenant, Role.RESIDENT_CLERK, Role.TENANT_ADMIN);
      if (evidence.isEmpty()) {
        return Future.failedFuture(ProblemException.badRequest("invalid-request", "evidenceRef names the signed form"));
      }
      Actor actor = Actor.staffAssisted(staff.id().toString(), channel, evidence);
      return residence.record(tenant, recordId)
          .compose(record -> accountOf(recordId))
          .compose(account -> decide(tenant, account.toString(), service, decision, b, actor))
          .compose(r -> AuditLog.record(pool, tenant, staff.id(), "consent.assisted", "resident_record", recordId.toString(),
              new JsonObject().put("serviceId", service).put("decision", decision).put("channel", channel.dbValue())
                  .put("evidenceRef", evidence).put("consentId", r.id().toString())).map(r));
    })).map(ConsentHandlers::toJson));
  }

  /** GET /api/v1/me/dependants/{recordId}/consents */
  public void listDependantConsents(RoutingContext ctx) {
    UUID child = UUID.fromString(path(ctx, "recordId"));
    respond(ctx, 200, auth.citizen(ctx).compose(a -> guardianOf(a.id(), child))
        .compose(record -> consent.consents().history(child.toString()))
        .map(records -> {
          JsonArray items = new JsonArray();
          records.forEach(r -> items.add(ConsentHandlers.toJson(r)));
          return new JsonObject().put("items", items);
        }));
  }

  /** POST /api/v1/me/dependants/{recordId}/consents */
  public void giveDependantConsent(RoutingContext ctx) {
    UUID child = UUID.fromString(path(ctx, "recordId"));
    JsonObject b = body(ctx);
    respond(ctx, 201, auth.citizen(ctx).compose(a -> guardianOf(a.id(), child).compose(record -> {
      if (!record.tenantCode().equals(b.getString("tenantCode"))) {
        return Future.failedFuture(ConsentError.UNKNOWN_SERVICE.exception(b.getString("serviceId") + " for a child of "
            + record.tenantCode() + " in tenant " + b.getString("tenantCode")));
      }
      return decide(record.tenantCode(), child.toString(), b.getString("serviceId"), b.getString("decision"), b,
          Actor.guardian(a.id().toString(), Channel.API));
    })).map(ConsentHandlers::toJson));
  }

  /** POST /api/v1/me/dependants/{recordId}/consents/{consentId}/withdrawal */
  public void withdrawDependantConsent(RoutingContext ctx) {
    UUID child = UUID.fromString(path(ctx, "recordId"));
    UUID consentId = UUID.fromString(path(ctx, "consentId"));
    respond(ctx, 204, auth.citizen(ctx).compose(a -> guardianOf(a.id(), child)
        .compose(record -> consent.consents().history(child.toString()))
        .compose(records -> {
          ConsentRecord r = records.stream().filter(x -> x.id().equals(consentId)).findFirst().orElse(null);
          if (r == null) {
            return Future.failedFuture(ProblemException.notFound("Consent " + consentId));
          }
          return consent.withdrawals().withdraw(new WithdrawalRequest(r.tenantId(), child.toString(), r.serviceId(),
              Actor.guardian(a.id().toString(), Channel.API))).mapEmpty();
        })));
  }

  /** Gives, refuses or withdraws; a neighbourhood association is joined with its code instead. */
  private Future<ConsentRecord> decide(String tenant, String citizen, String service, String decision, JsonObject b, Actor actor) {
    if (service.startsWith("association:")) {
      return Future.failedFuture(ProblemException.unprocessable("join-with-code",
          "A neighbourhood association is joined with its invitation code"));
    }
    if ("withdraw".equals(decision)) {
      return consent.withdrawals().withdraw(new WithdrawalRequest(tenant, citizen, service, actor)).map(r -> r.record());
    }
    int version = b.getInteger("noticeVersion");
    if ("refuse".equals(decision)) {
      return consent.consents().refuse(ConsentRequest.refusal(tenant, citizen, service, version, actor));
    }
    Integer days = b.getInteger("validityDays");
    return consent.consents().give(new ConsentRequest(tenant, citizen, service, version, ConsentHandlers.strings(b.getJsonArray("items")),
        ConsentHandlers.strings(b.getJsonArray("purposes")), actor, Optional.ofNullable(days).map(Duration::ofDays)));
  }

  /** The child's record, if the citizen has claimed the child as a dependant (404 otherwise, as for any other child). */
  private Future<jp.tsunagu.platform.residence.ResidentRecord> guardianOf(UUID accountId, UUID child) {
    return residence.household(accountId).compose(children -> children.stream()
        .filter(c -> c.claimed() && c.record().id().equals(child)).findFirst()
        .map(c -> Future.succeededFuture(c.record()))
        .orElseGet(() -> Future.failedFuture(ProblemException.notFound("Dependant " + child))));
  }

  /** The account verified for a resident record now. */
  private Future<UUID> accountOf(UUID recordId) {
    return pool.preparedQuery("SELECT account_id FROM residence WHERE record_id = $1 AND ended_at IS NULL").execute(Tuple.of(recordId))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ProblemException.unprocessable("no-account",
                "This resident holds no account verified with a residence code; consent is kept for account holders"))
            : Future.succeededFuture(rows.iterator().next().getUUID(0)));
  }
}

package jp.tsunagu.platform.consentlink;

import static jp.tsunagu.platform.http.Api.path;
import static jp.tsunagu.platform.http.Api.query;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.sqlclient.Pool;
import java.util.HexFormat;
import java.util.UUID;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.consent.accesslog.AccessLogEntry;
import jp.tsunagu.consent.ledger.Actor;
import jp.tsunagu.consent.ledger.Channel;
import jp.tsunagu.consent.ledger.ConsentRecord;
import jp.tsunagu.consent.withdrawal.WithdrawalRequest;
import jp.tsunagu.platform.circular.CircularService;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.StaffService;
import jp.tsunagu.platform.tenant.TenantService;

/**
 * The citizen's view of consent (linked services, receipts, who read my data, withdrawal) and the
 * staff's view (statistics per service, access-log verification); one method per operationId.
 */
public final class ConsentHandlers {
  private final ConsentModule consent;
  private final CircularService circulars;
  private final TenantService tenants;
  private final Pool pool;
  private final Auth auth;

  public ConsentHandlers(ConsentModule consent, CircularService circulars, TenantService tenants, Pool pool, Auth auth) {
    this.consent = consent;
    this.circulars = circulars;
    this.tenants = tenants;
    this.pool = pool;
    this.auth = auth;
  }

  public void listMyConsents(RoutingContext ctx) {
    respond(ctx, 200, auth.citizen(ctx).compose(a -> consent.consents().history(a.id().toString())).map(records -> {
      JsonArray items = new JsonArray();
      records.forEach(r -> items.add(toJson(r)));
      return new JsonObject().put("items", items);
    }));
  }

  public void getConsentReceipt(RoutingContext ctx) {
    UUID record = UUID.fromString(path(ctx, "consentId"));
    respond(ctx, 200, auth.citizen(ctx).compose(a -> consent.receipts().issue(a.id().toString(), record))
        .map(jws -> new JsonObject().put("receipt", jws)));
  }

  public void withdrawConsent(RoutingContext ctx) {
    UUID recordId = UUID.fromString(path(ctx, "consentId"));
    respond(ctx, 204, auth.citizen(ctx).compose(a -> consent.consents().history(a.id().toString()).compose(records -> {
      ConsentRecord record = records.stream().filter(r -> r.id().equals(recordId)).findFirst().orElse(null);
      if (record == null) {
        return Future.failedFuture(ProblemException.notFound("Consent " + recordId));
      }
      if (record.serviceId().startsWith("association:")) {
        // leaving the association is withdrawing this consent, and ends the membership too
        return circulars.leave(a.id(), UUID.fromString(record.serviceId().substring("association:".length())));
      }
      return consent.withdrawals().withdraw(new WithdrawalRequest(record.tenantId(), a.id().toString(), record.serviceId(),
          Actor.citizen(a.id().toString(), Channel.WEB))).mapEmpty();
    })));
  }

  public void listMyAccessLog(RoutingContext ctx) {
    RequestParameter from = query(ctx, "fromSeq");
    RequestParameter limit = query(ctx, "limit");
    respond(ctx, 200, auth.citizen(ctx).compose(a -> consent.accessLog().entries(a.id().toString(),
            from == null || from.isNull() ? 1 : from.getLong(), limit == null || limit.isNull() ? 100 : limit.getInteger())
        .compose(entries -> consent.accessLog().verify(a.id().toString()).map(check -> {
          JsonArray items = new JsonArray();
          entries.forEach(e -> items.add(toJson(e)));
          return new JsonObject().put("intact", check.intact()).put("items", items);
        }))));
  }

  public void getConsentStatistics(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    respond(ctx, 200, auth.staff(ctx).compose(s -> {
      StaffService.authorise(s, tenant, Role.TENANT_ADMIN, Role.AUDITOR);
      return tenants.require(tenant);
    }).compose(t -> ConsentStatistics.byService(pool, tenant))
        .map(list -> {
          JsonArray items = new JsonArray();
          list.forEach(c -> items.add(new JsonObject().put("serviceId", c.serviceId()).put("states", new JsonObject(new java.util.HashMap<>(c.states())))));
          return new JsonObject().put("items", items);
        }));
  }

  public void verifyAccessLogs(RoutingContext ctx) {
    respond(ctx, 200, auth.staff(ctx).compose(s -> {
      if (!s.operator() && !s.has(Role.AUDITOR)) {
        return Future.failedFuture(ProblemException.forbidden("Verifying access logs needs the role auditor"));
      }
      return consent.accessLog().verifyAll();
    }).map(results -> {
      JsonArray broken = new JsonArray();
      results.stream().filter(r -> !r.intact()).forEach(r -> broken.add(new JsonObject().put("citizenId", r.citizenId())
          .put("brokenAtSeq", r.brokenAtSeq().orElse(null)).put("problem", r.problem().orElse(null))));
      return new JsonObject().put("chainsChecked", results.size())
          .put("entriesChecked", results.stream().mapToLong(r -> r.entriesChecked()).sum()).put("broken", broken);
    }));
  }

  static JsonObject toJson(ConsentRecord r) {
    JsonArray items = new JsonArray();
    r.items().stream().sorted().forEach(items::add);
    JsonArray purposes = new JsonArray();
    r.purposes().stream().sorted().forEach(purposes::add);
    return new JsonObject().put("id", r.id().toString()).put("tenantCode", r.tenantId()).put("serviceId", r.serviceId())
        .put("noticeVersion", r.noticeVersion()).put("state", r.state().name().toLowerCase(java.util.Locale.ROOT))
        .put("items", items).put("purposes", purposes)
        .put("givenBy", r.actor().kind().name().toLowerCase(java.util.Locale.ROOT))
        .put("channel", r.actor().channel().name().toLowerCase(java.util.Locale.ROOT))
        .put("createdAt", r.createdAt().toString()).put("stateChangedAt", r.stateChangedAt().toString())
        .put("expiresAt", r.expiresAt().map(Object::toString).orElse(null));
  }

  static JsonObject toJson(AccessLogEntry e) {
    JsonArray items = new JsonArray();
    e.items().forEach(items::add);
    return new JsonObject().put("seq", e.seq()).put("tenantCode", e.tenantId()).put("serviceId", e.serviceId())
        .put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT)).put("items", items).put("purpose", e.purpose())
        .put("at", e.occurredAt().toString()).put("hash", HexFormat.of().formatHex(e.entryHash()));
  }
}

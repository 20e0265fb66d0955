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

  /** The citizen consents to (or refuses) a service's notice through the API (an app's channel). */
  public void giveConsent(RoutingContext ctx) {
    JsonObject b = jp.tsunagu.platform.http.Api.body(ctx);
    String tenant = b.getString("tenantCode");
    String service = b.getString("serviceId");
    boolean give = "give".equals(b.getString("decision"));
    java.util.Set<String> items = strings(b.getJsonArray("items"));
    java.util.Set<String> purposes = strings(b.getJsonArray("purposes"));
    Integer days = b.getInteger("validityDays");
    respond(ctx, 201, auth.citizen(ctx).compose(a -> {
      if (service.startsWith("association:")) {
        return Future.failedFuture(ProblemException.unprocessable("join-with-code",
            "A neighbourhood association is joined with its invitation code (POST /api/v1/me/associations)"));
      }
      String citizen = a.id().toString();
      Actor actor = Actor.citizen(citizen, Channel.API);
      return consent.declarations().current(tenant, service).compose(notice -> {
        if (give && service.startsWith("client:") && !purposes.contains(notice.purposes().get(0).id())) {
          return Future.failedFuture(jp.tsunagu.consent.ConsentError.REQUIRED_ITEM_MISSING.exception(
              "a service's sign-in needs its first purpose, " + notice.purposes().get(0).id()));
        }
        var request = give
            ? new jp.tsunagu.consent.ledger.ConsentRequest(tenant, citizen, service, b.getInteger("noticeVersion"), items, purposes, actor,
                java.util.Optional.ofNullable(days).map(java.time.Duration::ofDays))
            : jp.tsunagu.consent.ledger.ConsentRequest.refusal(tenant, citizen, service, b.getInteger("noticeVersion"), actor);
        return give ? consent.consents().give(request) : consent.consents().refuse(request);
      });
    }).map(ConsentHandlers::toJson));
  }

  /** A service's notice in force, public: what it asks for and why. */
  public void getServiceNotice(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    String service = path(ctx, "serviceId");
    respond(ctx, 200, consent.declarations().current(tenant, service).map(d -> {
      JsonArray items = new JsonArray();
      d.items().forEach(i -> items.add(new JsonObject().put("id", i.id()).put("required", i.required())
          .put("scope", service.startsWith("client:") && jp.tsunagu.platform.oidc.Scopes.CITIZEN.contains(i.id()))
          .put("label", new JsonObject().put("ja", i.label().ja()).put("en", i.label().en()))));
      JsonArray purposes = new JsonArray();
      d.purposes().forEach(p -> purposes.add(new JsonObject().put("id", p.id())
          .put("label", new JsonObject().put("ja", p.label().ja()).put("en", p.label().en()))));
      return new JsonObject().put("serviceId", service).put("noticeVersion", d.noticeVersion())
          .put("notice", new JsonObject().put("ja", d.notice().ja()).put("en", d.notice().en())).put("items", items)
          .put("purposes", purposes);
    }));
  }

  static java.util.Set<String> strings(JsonArray a) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    if (a != null) {
      a.forEach(v -> out.add((String) v));
    }
    return out;
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

package jp.tsunagu.platform.tenant;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.http.Api.body;
import static jp.tsunagu.platform.http.Api.path;
import static jp.tsunagu.platform.http.Api.query;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.platform.audit.AuditLog;
import jp.tsunagu.platform.http.Api;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.residence.ResidenceService;
import jp.tsunagu.platform.residence.ResidentRecord;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.staff.StaffService;

/** HTTP adapter of staff and municipality operations; one method per operationId. */
public final class TenantHandlers {
  private final TenantService tenants;
  private final StaffService staff;
  private final ResidenceService residence;
  private final AuditLog audit;
  private final Auth auth;

  public TenantHandlers(TenantService tenants, StaffService staff, ResidenceService residence, AuditLog audit, Auth auth) {
    this.tenants = tenants;
    this.staff = staff;
    this.residence = residence;
    this.audit = audit;
    this.auth = auth;
  }

  public void staffSignIn(RoutingContext ctx) {
    JsonObject b = body(ctx);
    respond(ctx, 200, attempt(() -> staff.signIn(b.getString("email"), b.getString("password"), Api.clientAddress(ctx)))
        .map(s -> {
          Auth.signInStaff(ctx, s);
          return s.toJson();
        }));
  }

  public void staffSignOut(RoutingContext ctx) {
    Auth.signOutStaff(ctx);
    respond(ctx, 204, Future.succeededFuture());
  }

  public void getStaffMe(RoutingContext ctx) {
    respond(ctx, 200, auth.staff(ctx).map(Staff::toJson));
  }

  public void listTenants(RoutingContext ctx) {
    respond(ctx, 200, tenants.list().map(list -> {
      JsonArray items = new JsonArray();
      list.forEach(t -> items.add(t.toJson()));
      return new JsonObject().put("items", items);
    }));
  }

  public void createTenant(RoutingContext ctx) {
    Tenant t = tenant(body(ctx));
    respond(ctx, 201, auth.staff(ctx).compose(s -> s.operator() ? tenants.create(s.id(), t)
        : Future.failedFuture(ProblemException.forbidden("Only platform operators create municipalities"))).map(Tenant::toJson));
  }

  public void getTenant(RoutingContext ctx) {
    respond(ctx, 200, tenants.require(path(ctx, "tenantCode")).map(Tenant::toJson));
  }

  public void updateTenant(RoutingContext ctx) {
    String code = path(ctx, "tenantCode");
    JsonObject b = body(ctx);
    respond(ctx, 200, staffFor(ctx, code, Role.TENANT_ADMIN).compose(s -> {
      if (!code.equals(b.getString("code"))) {
        return Future.failedFuture(ProblemException.badRequest("code-mismatch", "The body's code must match the path"));
      }
      return tenants.update(s.id(), tenant(b));
    }).map(Tenant::toJson));
  }

  public void listDistricts(RoutingContext ctx) {
    String code = path(ctx, "tenantCode");
    respond(ctx, 200, tenants.require(code).compose(t -> tenants.districts(code)).map(list -> {
      JsonArray items = new JsonArray();
      list.forEach(d -> items.add(d.toJson()));
      return new JsonObject().put("items", items);
    }));
  }

  public void importDistricts(RoutingContext ctx) {
    String code = path(ctx, "tenantCode");
    respond(ctx, 200, staffFor(ctx, code, Role.TENANT_ADMIN).compose(s -> {
      if (isCsv(ctx)) {
        return tenants.importDistrictCsv(s.id(), code, csvBody(ctx));
      }
      List<District> list = new ArrayList<>();
      for (Object o : body(ctx).getJsonArray("items")) {
        JsonObject d = (JsonObject) o;
        list.add(new District(d.getString("code"), d.getString("kind"), d.getString("nameJa"),
            d.getString("nameKana", ""), d.getString("nameEn", "")));
      }
      return tenants.upsertDistricts(s.id(), code, list);
    }).map(n -> new JsonObject().put("imported", n)));
  }

  public void listStaff(RoutingContext ctx) {
    String code = path(ctx, "tenantCode");
    respond(ctx, 200, staffFor(ctx, code, Role.TENANT_ADMIN, Role.AUDITOR).compose(s -> staff.list(code)).map(list -> {
      JsonArray items = new JsonArray();
      list.forEach(m -> items.add(m.toJson()));
      return new JsonObject().put("items", items);
    }));
  }

  public void createStaff(RoutingContext ctx) {
    String code = path(ctx, "tenantCode");
    JsonObject b = body(ctx);
    Set<Role> roles = EnumSet.noneOf(Role.class);
    b.getJsonArray("roles").forEach(r -> roles.add(Role.of((String) r)));
    respond(ctx, 201, staffFor(ctx, code, Role.TENANT_ADMIN)
        .compose(s -> staff.create(s, code, b.getString("email"), b.getString("displayName"), roles, b.getString("initialPassword")))
        .map(Staff::toJson));
  }

  public void listResidentRecords(RoutingContext ctx) {
    String code = path(ctx, "tenantCode");
    RequestParameter q = query(ctx, "q");
    RequestParameter limit = query(ctx, "limit");
    respond(ctx, 200, staffFor(ctx, code, Role.RESIDENT_CLERK)
        .compose(s -> residence.search(code, q == null || q.isNull() ? "" : q.getString(),
            limit == null || limit.isNull() ? 50 : limit.getInteger()))
        .map(list -> {
          JsonArray items = new JsonArray();
          list.forEach(r -> items.add(r.toJson()));
          return new JsonObject().put("items", items);
        }));
  }

  public void importResidentRecords(RoutingContext ctx) {
    String code = path(ctx, "tenantCode");
    respond(ctx, 200, staffFor(ctx, code, Role.RESIDENT_CLERK).compose(s -> {
      if (isCsv(ctx)) {
        return residence.importCsv(s, code, csvBody(ctx));
      }
      JsonObject b = body(ctx);
      ResidentRecord r = new ResidentRecord(UUID.randomUUID(), code, b.getString("familyName"), b.getString("givenName"),
          b.getString("familyKana"), b.getString("givenKana"), LocalDate.parse(b.getString("birthDate")),
          b.getString("districtCode"), b.getString("householdId"));
      return residence.addRecord(s, r).map(1);
    }).map(n -> new JsonObject().put("imported", n)));
  }

  public void issueResidenceCode(RoutingContext ctx) {
    String code = path(ctx, "tenantCode");
    UUID record = UUID.fromString(path(ctx, "recordId"));
    respond(ctx, 201, staffFor(ctx, code, Role.RESIDENT_CLERK)
        .compose(s -> tenants.require(code).compose(t -> residence.issueCode(s, t, record)))
        .map(issued -> new JsonObject().put("id", issued.id().toString()).put("code", issued.code())
            .put("expiresOn", issued.expiresOn().toString()).put("letter", issued.letter())));
  }

  public void listAuditLog(RoutingContext ctx) {
    String code = path(ctx, "tenantCode");
    RequestParameter before = query(ctx, "before");
    RequestParameter limit = query(ctx, "limit");
    respond(ctx, 200, staffFor(ctx, code, Role.TENANT_ADMIN, Role.AUDITOR)
        .compose(s -> audit.list(code, limit == null || limit.isNull() ? 100 : limit.getInteger(),
            before == null || before.isNull() ? Long.MAX_VALUE : before.getLong()))
        .map(entries -> new JsonObject().put("items", AuditLog.toJson(entries))));
  }

  /** The signed-in staff member, if allowed on this municipality with one of the roles. */
  private Future<Staff> staffFor(RoutingContext ctx, String tenantCode, Role... roles) {
    return auth.staff(ctx).compose(s -> attempt(() -> {
      StaffService.authorise(s, tenantCode, roles);
      return tenants.require(tenantCode).map(s);
    }));
  }

  private static boolean isCsv(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("text/csv");
  }

  private static String csvBody(RoutingContext ctx) {
    return ctx.body().asString("UTF-8");
  }

  private static Tenant tenant(JsonObject b) {
    return new Tenant(b.getString("code"), b.getString("nameJa"), b.getString("nameEn"), b.getString("prefecture"),
        b.getJsonObject("branding", new JsonObject()));
  }
}

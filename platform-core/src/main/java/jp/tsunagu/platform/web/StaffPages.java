package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.http.Api.clientAddress;
import static jp.tsunagu.platform.web.Forms.field;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.tsunagu.platform.audit.AuditLog;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.staff.StaffService;
import jp.tsunagu.platform.tenant.Tenant;
import jp.tsunagu.platform.tenant.TenantService;
import jp.tsunagu.platform.web.StaffAccess.Scope;

/** The staff console: sign-in, municipalities (operators), a municipality's staff and districts, the audit log. */
final class StaffPages {
  static final List<String> TENANT_ROLES = List.of("tenant_admin", "editor", "resident_clerk", "auditor");

  private final StaffService staff;
  private final TenantService tenants;
  private final AuditLog audit;
  private final StaffAccess access;
  private final View view;

  StaffPages(StaffService staff, TenantService tenants, AuditLog audit, StaffAccess access, View view) {
    this.staff = staff;
    this.tenants = tenants;
    this.audit = audit;
    this.access = access;
    this.view = view;
  }

  void signInForm(RoutingContext ctx) {
    view.render(ctx, "staff/sign-in", Map.of());
  }

  void signIn(RoutingContext ctx) {
    String email = field(ctx, "email");
    attempt(() -> staff.signIn(email, field(ctx, "password"), clientAddress(ctx)))
        .onSuccess(s -> {
          Auth.signInStaff(ctx, s);
          Csrf.rotate(ctx);
          View.redirect(ctx, "/staff");
        })
        .onFailure(err -> Forms.refused(ctx, err, p ->
            view.render(ctx, p.status(), "staff/sign-in", Map.of("problem", p, "email", email))));
  }

  void signOut(RoutingContext ctx) {
    Auth.signOutStaff(ctx);
    Csrf.rotate(ctx);
    View.redirect(ctx, "/staff/sign-in");
  }

  /** Operators get the list of municipalities; everyone else goes to their own municipality. */
  void home(RoutingContext ctx) {
    access.staff(ctx).onFailure(ctx::fail).onSuccess(s -> {
      if (s.operator()) {
        renderTenants(ctx, s, null, Map.of());
      } else {
        View.redirect(ctx, "/staff/t/" + s.tenantCode());
      }
    });
  }

  void createTenant(RoutingContext ctx) {
    Tenant t = new Tenant(field(ctx, "code").strip(), field(ctx, "nameJa"), field(ctx, "nameEn"), field(ctx, "prefecture"),
        new JsonObject());
    access.staff(ctx).onFailure(ctx::fail).onSuccess(s -> (s.operator()
            ? attempt(() -> tenants.create(s.id(), t))
            : Future.<Tenant>failedFuture(ProblemException.forbidden("Only platform operators create municipalities")))
        .onSuccess(created -> {
          View.flash(ctx, "flash.tenant-created");
          View.redirect(ctx, "/staff/t/" + created.code());
        })
        .onFailure(err -> Forms.refused(ctx, err, p -> renderTenants(ctx, s, p, t.toJson().getMap()))));
  }

  void tenant(RoutingContext ctx) {
    access.scope(ctx, Role.values()).onFailure(ctx::fail).onSuccess(scope -> renderTenant(ctx, scope, null, null, Map.of()));
  }

  void createStaff(RoutingContext ctx) {
    Map<String, Object> typed = Map.of("email", field(ctx, "email"), "displayName", field(ctx, "displayName"),
        "roles", ctx.request().formAttributes().getAll("roles"));
    access.scope(ctx, Role.TENANT_ADMIN).onFailure(ctx::fail).onSuccess(scope -> attempt(() -> staff.create(scope.staff(),
            scope.tenant().code(), field(ctx, "email"), field(ctx, "displayName"), roles(ctx), field(ctx, "initialPassword")))
        .onSuccess(created -> {
          View.flash(ctx, "flash.staff-created");
          View.redirect(ctx, "/staff/t/" + scope.tenant().code());
        })
        .onFailure(err -> Forms.refused(ctx, err, p -> renderTenant(ctx, scope, p, "staff", typed))));
  }

  void importDistricts(RoutingContext ctx) {
    access.scope(ctx, Role.TENANT_ADMIN).onFailure(ctx::fail).onSuccess(scope -> access.uploadedText(ctx)
        .compose(csv -> attempt(() -> tenants.importDistrictCsv(scope.staff().id(), scope.tenant().code(), csv)))
        .onSuccess(n -> {
          View.flash(ctx, "flash.districts-imported");
          View.redirect(ctx, "/staff/t/" + scope.tenant().code());
        })
        .onFailure(err -> Forms.refused(ctx, err, p -> renderTenant(ctx, scope, p, "districts", Map.of()))));
  }

  void auditLog(RoutingContext ctx) {
    String beforeParam = ctx.request().getParam("before");
    long before;
    try {
      before = beforeParam == null ? Long.MAX_VALUE : Long.parseLong(beforeParam);
    } catch (NumberFormatException e) {
      ctx.fail(ProblemException.badRequest("invalid-request", "before is not a number"));
      return;
    }
    int pageSize = 100;
    access.scope(ctx, Role.TENANT_ADMIN, Role.AUDITOR)
        .compose(scope -> audit.list(scope.tenant().code(), pageSize, before).map(entries -> {
          Map<String, Object> model = scope.model();
          model.put("entries", entries.stream().map(e -> e.toJson().put("detail", e.detail().encode()).getMap()).toList());
          if (entries.size() == pageSize) {
            model.put("older", entries.get(entries.size() - 1).id());
          }
          return model;
        }))
        .onSuccess(model -> view.render(ctx, "staff/audit", model))
        .onFailure(ctx::fail);
  }

  private void renderTenants(RoutingContext ctx, Staff s, ProblemException problem, Map<String, Object> typed) {
    tenants.list().onFailure(ctx::fail).onSuccess(list -> {
      Map<String, Object> model = new HashMap<>();
      model.put("me", StaffAccess.person(s));
      model.put("tenants", list.stream().map(t -> t.toJson().getMap()).toList());
      model.put("typed", typed);
      if (problem != null) {
        model.put("problem", problem);
      }
      view.render(ctx, problem == null ? 200 : problem.status(), "staff/tenants", model);
    });
  }

  private void renderTenant(RoutingContext ctx, Scope scope, ProblemException problem, String section, Map<String, Object> typed) {
    String code = scope.tenant().code();
    boolean seeStaff = scope.may(Role.TENANT_ADMIN, Role.AUDITOR);
    Future.all(tenants.districts(code), seeStaff ? staff.list(code) : Future.succeededFuture(List.<Staff>of()))
        .onFailure(ctx::fail)
        .onSuccess(all -> {
          Map<String, Object> model = scope.model();
          List<jp.tsunagu.platform.tenant.District> districts = all.resultAt(0);
          List<Staff> members = all.resultAt(1);
          model.put("districts", districts.stream().map(d -> d.toJson().getMap()).toList());
          model.put("seeStaff", seeStaff);
          model.put("staffList", members.stream().map(StaffAccess::person).toList());
          model.put("roleChoices", TENANT_ROLES);
          model.put("typed", typed);
          if (problem != null) {
            model.put("problem", problem);
            model.put("errorSection", section);
          }
          view.render(ctx, problem == null ? 200 : problem.status(), "staff/tenant", model);
        });
  }

  private static Set<Role> roles(RoutingContext ctx) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String id : ctx.request().formAttributes().getAll("roles")) {
      if (!TENANT_ROLES.contains(id)) {
        throw ProblemException.badRequest("invalid-roles", "Unknown role " + id);
      }
      roles.add(Role.of(id));
    }
    return roles;
  }
}

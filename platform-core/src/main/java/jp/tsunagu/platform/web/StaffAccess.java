package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.http.Api.attempt;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.staff.StaffService;
import jp.tsunagu.platform.tenant.Tenant;
import jp.tsunagu.platform.tenant.TenantService;

/** The signed-in staff member and the municipality a console page is about, checked by {@link StaffService#authorise}. */
final class StaffAccess {
  /** A staff member allowed on a municipality. */
  record Scope(Staff staff, Tenant tenant) {
    boolean may(Role... roles) {
      try {
        StaffService.authorise(staff, tenant.code(), roles);
        return true;
      } catch (ProblemException e) {
        return false;
      }
    }

    Map<String, Object> model() {
      Map<String, Object> m = new HashMap<>();
      m.put("me", StaffAccess.person(staff));
      m.put("tenant", tenant.toJson().getMap());
      m.put("isAdmin", may(Role.TENANT_ADMIN));
      m.put("isClerk", may(Role.RESIDENT_CLERK));
      m.put("canAudit", may(Role.TENANT_ADMIN, Role.AUDITOR));
      m.put("isEditor", may(Role.EDITOR, Role.TENANT_ADMIN));
      return m;
    }
  }

  private final Auth auth;
  private final TenantService tenants;
  private final Vertx vertx;

  StaffAccess(Auth auth, TenantService tenants, Vertx vertx) {
    this.auth = auth;
    this.tenants = tenants;
    this.vertx = vertx;
  }

  Future<Staff> staff(RoutingContext ctx) {
    return auth.staff(ctx);
  }

  /** The staff member on the municipality in the path, with one of the roles (operators: any municipality). */
  Future<Scope> scope(RoutingContext ctx, Role... roles) {
    String code = ctx.pathParam("tenant");
    return auth.staff(ctx).compose(s -> attempt(() -> {
      StaffService.authorise(s, code, roles);
      return tenants.require(code).map(t -> new Scope(s, t));
    }));
  }

  /** The text of the uploaded CSV file in the form field {@code file}. */
  Future<String> uploadedText(RoutingContext ctx) {
    List<FileUpload> uploads = ctx.fileUploads();
    FileUpload file = uploads.stream().filter(u -> "file".equals(u.name()) && u.size() > 0).findFirst().orElse(null);
    if (file == null) {
      return Future.failedFuture(ProblemException.badRequest("no-file", "Choose a CSV file to upload"));
    }
    return vertx.fileSystem().readFile(file.uploadedFileName()).map(b -> b.toString(StandardCharsets.UTF_8));
  }

  static Map<String, Object> person(Staff s) {
    Map<String, Object> m = new HashMap<>();
    m.put("email", s.email());
    m.put("displayName", s.displayName());
    m.put("tenantCode", s.tenantCode());
    m.put("roles", s.roles().stream().map(Role::id).sorted().toList());
    m.put("operator", s.operator());
    m.put("disabled", s.disabled());
    return m;
  }
}

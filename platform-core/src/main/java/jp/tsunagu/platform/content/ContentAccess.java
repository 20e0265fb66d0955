package jp.tsunagu.platform.content;

import static jp.tsunagu.platform.http.Api.attempt;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.StaffService;
import jp.tsunagu.platform.tenant.TenantService;

/**
 * Who may write a municipality's content over HTTP: today a staff session with the editor or
 * tenant-admin role (a CMS signs in as such a staff account); the one place where a CMS's OAuth
 * client-credentials token, with a content-writing scope for its municipality, will be accepted
 * as another {@link Author} once the OpenID provider issues them.
 */
public final class ContentAccess {
  private final Auth auth;
  private final TenantService tenants;

  public ContentAccess(Auth auth, TenantService tenants) {
    this.auth = auth;
    this.tenants = tenants;
  }

  /** The author of a content change in the municipality, or 401/403/404. */
  public Future<Author> editor(RoutingContext ctx, String tenantCode) {
    return auth.staff(ctx).compose(s -> attempt(() -> {
      StaffService.authorise(s, tenantCode, Role.EDITOR, Role.TENANT_ADMIN);
      return tenants.require(tenantCode).map(Author.staff(s));
    }));
  }
}

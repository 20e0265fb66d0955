package jp.tsunagu.platform.content;

import static jp.tsunagu.platform.http.Api.attempt;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.oidc.ClientService;
import jp.tsunagu.platform.oidc.ServiceTokens;
import jp.tsunagu.platform.oidc.TokenVerifier;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.StaffService;
import jp.tsunagu.platform.tenant.TenantService;

/**
 * Who may write a municipality's content over HTTP: a staff session with the editor or
 * tenant-admin role, or — for the page operations a CMS uses — a CMS holding an OAuth access
 * token from this provider's client-credentials grant (RFC 9068 JWT, checked by {@link
 * TokenVerifier}: signature, issuer, audience, expiry, revocation) with the scope {@value
 * #WRITE_SCOPE}, whose client is registered by that same municipality. A bearer token is never
 * combined with a session: when the request carries one, it alone decides.
 */
public final class ContentAccess {
  /** The scope a CMS's client needs to push and withdraw its municipality's pages. */
  public static final String WRITE_SCOPE = "content:write";

  private final Auth auth;
  private final TenantService tenants;
  private final ServiceTokens services;

  public ContentAccess(Auth auth, TenantService tenants, TokenVerifier tokens, ClientService clients) {
    this.auth = auth;
    this.tenants = tenants;
    this.services = new ServiceTokens(tokens, clients);
  }

  /** The author of a content change in the municipality (staff only), or 401/403/404. */
  public Future<Author> editor(RoutingContext ctx, String tenantCode) {
    return auth.staff(ctx).compose(s -> attempt(() -> {
      StaffService.authorise(s, tenantCode, Role.EDITOR, Role.TENANT_ADMIN);
      // the staff row of the municipality's own staff references it, so it exists; an operator may name any code
      return tenantCode.equals(s.tenantCode()) ? Future.succeededFuture(Author.staff(s))
          : tenants.require(tenantCode).map(Author.staff(s));
    }));
  }

  /**
   * The author of a page change: a CMS by its bearer token when the request has one, otherwise
   * staff as in {@link #editor}. A token that is not valid (malformed, foreign, expired, revoked,
   * of a deleted client) is 401, one without the scope or of a citizen 403 with a Bearer challenge
   * (RFC 6750 §3), a client of another municipality 403.
   */
  public Future<Author> pageWriter(RoutingContext ctx, String tenantCode) {
    String token = ServiceTokens.bearer(ctx);
    if (token == null) {
      return editor(ctx, tenantCode);
    }
    return services.service(ctx, token, WRITE_SCOPE).compose(client -> client.tenantCode().equals(tenantCode)
        ? tenants.require(tenantCode).map(Author.client(client.clientId()))
        : Future.failedFuture(ProblemException.forbidden("The client belongs to another municipality")));
  }
}

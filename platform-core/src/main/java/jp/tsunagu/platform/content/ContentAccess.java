package jp.tsunagu.platform.content;

import static jp.tsunagu.platform.http.Api.attempt;

import com.nimbusds.jwt.JWTClaimsSet;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.oidc.ClientService;
import jp.tsunagu.platform.oidc.OAuthError;
import jp.tsunagu.platform.oidc.Scopes;
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
  private final TokenVerifier tokens;
  private final ClientService clients;

  public ContentAccess(Auth auth, TenantService tenants, TokenVerifier tokens, ClientService clients) {
    this.auth = auth;
    this.tenants = tenants;
    this.tokens = tokens;
    this.clients = clients;
  }

  /** The author of a content change in the municipality (staff only), or 401/403/404. */
  public Future<Author> editor(RoutingContext ctx, String tenantCode) {
    return auth.staff(ctx).compose(s -> attempt(() -> {
      StaffService.authorise(s, tenantCode, Role.EDITOR, Role.TENANT_ADMIN);
      return tenants.require(tenantCode).map(Author.staff(s));
    }));
  }

  /**
   * The author of a page change: a CMS by its bearer token when the request has one, otherwise
   * staff as in {@link #editor}. A token that is not valid (malformed, foreign, expired, revoked,
   * of a deleted client) is 401, one without the scope or of a citizen 403 with a Bearer challenge
   * (RFC 6750 §3), a client of another municipality 403.
   */
  public Future<Author> pageWriter(RoutingContext ctx, String tenantCode) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return editor(ctx, tenantCode);
    }
    String token = header.substring(7).strip();
    return tokens.access(token)
        .recover(err -> Future.failedFuture(err instanceof OAuthError o ? invalidToken(ctx, o)
            : invalidToken(ctx, OAuthError.invalidToken("The access token is not valid"))))
        .compose(claims -> client(ctx, claims, tenantCode));
  }

  private Future<Author> client(RoutingContext ctx, JWTClaimsSet claims, String tenantCode) {
    Object clientId = claims.getClaim("client_id");
    if (clientId == null || !clientId.toString().equals(claims.getSubject())) {
      return Future.failedFuture(challenge(ctx, OAuthError.insufficientScope(WRITE_SCOPE),
          new ProblemException(403, "client-token-required", "Not allowed",
              "Content is written with a CMS's client-credentials token, not a citizen's")));
    }
    Object scope = claims.getClaim("scope");
    Set<String> scopes = scope == null ? Set.of() : Scopes.parse(scope.toString());
    if (scopes == null || !scopes.contains(WRITE_SCOPE)) {
      return Future.failedFuture(challenge(ctx, OAuthError.insufficientScope(WRITE_SCOPE),
          new ProblemException(403, "insufficient-scope", "Not allowed", "The access token needs the scope " + WRITE_SCOPE)));
    }
    return clients.find(clientId.toString()).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(invalidToken(ctx, OAuthError.invalidToken("The token's client is no longer registered")));
      }
      if (!found.get().tenantCode().equals(tenantCode)) {
        return Future.failedFuture(ProblemException.forbidden("The client belongs to another municipality"));
      }
      return tenants.require(tenantCode).map(Author.client(found.get().clientId()));
    });
  }

  private static ProblemException invalidToken(RoutingContext ctx, OAuthError error) {
    return challenge(ctx, error, new ProblemException(401, "invalid-token", "Invalid access token", error.description()));
  }

  private static ProblemException challenge(RoutingContext ctx, OAuthError error, ProblemException problem) {
    if (error.challenge() != null) {
      ctx.response().putHeader("WWW-Authenticate", error.challenge());
    }
    return problem;
  }
}

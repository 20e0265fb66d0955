package jp.tsunagu.platform.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import jp.tsunagu.platform.http.ProblemException;

/**
 * A service calling the platform's API with its own access token (RFC 6750 bearer, or DPoP-bound
 * with a proof per request, RFC 9449; a JWT of this provider's client-credentials grant, RFC 9068): checked by {@link TokenVerifier} (signature,
 * issuer, audience, expiry, revocation), then that it is the client's own token (not one issued
 * for a citizen), that it carries the operation's scope, and that the client is still registered.
 * Failures are problems with an RFC 6750 §3 challenge: 401 for a token that is not valid, 403 for
 * a citizen's token or a missing scope.
 */
public final class ServiceTokens {
  private final TokenVerifier tokens;
  private final ClientService clients;

  public ServiceTokens(TokenVerifier tokens, ClientService clients) {
    this.tokens = tokens;
    this.clients = clients;
  }

  /** The request's access token, sent with the Bearer or the DPoP scheme (RFC 9449 §7.1), or null when it has none. */
  public static String bearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String dpop = TokenVerifier.dpopToken(header);
    if (dpop != null) {
      return dpop;
    }
    return header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) ? null : header.substring(7).strip();
  }

  /** The registered service behind {@code token}, if it is the service's own token with {@code scope}. */
  public Future<Client> service(RoutingContext ctx, String token, String scope) {
    if (token == null || token.isEmpty()) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      return Future.failedFuture(new ProblemException(401, "invalid-token", "Invalid access token", "A bearer token is required"));
    }
    return tokens.presented(token, TokenVerifier.dpopToken(ctx.request().getHeader("Authorization")) != null, ctx.request().headers().getAll("DPoP"),
            ctx.request().method().name(), tokens.issuer() + ctx.request().path())
        .recover(err -> Future.failedFuture(invalidToken(ctx, err instanceof OAuthError o ? o
            : OAuthError.invalidToken("The access token is not valid"))))
        .compose(claims -> client(ctx, claims, scope));
  }

  private Future<Client> client(RoutingContext ctx, JWTClaimsSet claims, String scope) {
    Object clientId = claims.getClaim("client_id");
    if (clientId == null || !clientId.toString().equals(claims.getSubject())) {
      return Future.failedFuture(challenge(ctx, OAuthError.insufficientScope(scope),
          new ProblemException(403, "client-token-required", "Not allowed",
              "This is called with the service's own client-credentials token, not one issued for a citizen")));
    }
    Object given = claims.getClaim("scope");
    Set<String> scopes = given == null ? Set.of() : Scopes.parse(given.toString());
    if (scopes == null || !scopes.contains(scope)) {
      return Future.failedFuture(challenge(ctx, OAuthError.insufficientScope(scope),
          new ProblemException(403, "insufficient-scope", "Not allowed", "The access token needs the scope " + scope)));
    }
    return clients.find(clientId.toString()).compose(found -> found.isPresent() ? Future.succeededFuture(found.get())
        : Future.failedFuture(invalidToken(ctx, OAuthError.invalidToken("The token's client is no longer registered"))));
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

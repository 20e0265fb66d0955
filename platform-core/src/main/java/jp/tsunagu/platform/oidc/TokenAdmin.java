package jp.tsunagu.platform.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import jp.tsunagu.platform.security.Tokens;

/**
 * Revocation (RFC 7009) and introspection (RFC 7662). A client acts on its own tokens only; a token
 * that is unknown, foreign or already gone is revoked "successfully" and introspects as inactive.
 * Revoking a refresh token revokes its grant (and with it the grant's access tokens); revoking an
 * access token records its id until it would have expired.
 */
public final class TokenAdmin {
  private final io.vertx.sqlclient.Pool pool;
  private final TokenVerifier verifier;
  private final GrantRepository grants;
  private final Subjects subjects;
  private final Clock clock;
  private final RefreshTokens refreshTokens;

  TokenAdmin(io.vertx.sqlclient.Pool pool, TokenVerifier verifier, GrantRepository grants, Subjects subjects, Clock clock,
             RefreshTokens refreshTokens) {
    this.refreshTokens = refreshTokens;
    this.pool = pool;
    this.verifier = verifier;
    this.grants = grants;
    this.subjects = subjects;
    this.clock = clock;
  }

  public Future<Void> revoke(Client client, String token) {
    if (looksLikeJwt(token)) {
      return verifier.access(token)
          .compose(claims -> client.clientId().equals(claims.getClaim("client_id"))
              ? grants.recordTokenId(claims.getJWTID(), claims.getExpirationTime().toInstant()).mapEmpty()
              : Future.<Void>succeededFuture())
          .recover(err -> err instanceof OAuthError ? Future.succeededFuture() : Future.failedFuture(err));
    }
    return refresh(token)
        .compose(row -> row.isPresent() && row.get().grant().clientId().equals(client.clientId())
            ? grants.revokeGrant(pool, row.get().grant().id()) : Future.succeededFuture());
  }

  /**
   * The refresh token's grant, whether the token is used (an earlier generation of its family, or
   * marked used in the earlier format) and its expiry; empty for anything that is not one.
   */
  private Future<Optional<GrantRepository.RefreshRow>> refresh(String token) {
    Optional<RefreshTokens.Presented> family = refreshTokens.read(token);
    if (family.isPresent()) {
      int generation = family.get().generation();
      return grants.findFamily(family.get().grantId()).map(found -> found.filter(f -> f.generation() != null && generation <= f.generation())
          .map(f -> new GrantRepository.RefreshRow(f.grant(), generation < f.generation(), f.expiresAt())));
    }
    return RefreshTokens.hasFormat(token) ? Future.succeededFuture(Optional.empty()) : grants.findRefresh(Tokens.sha256(token));
  }

  public Future<JsonObject> introspect(Client client, String token) {
    JsonObject inactive = new JsonObject().put("active", false);
    if (looksLikeJwt(token)) {
      return verifier.access(token)
          .map(claims -> client.clientId().equals(claims.getClaim("client_id")) ? active(claims) : inactive)
          .recover(err -> err instanceof OAuthError ? Future.succeededFuture(inactive) : Future.failedFuture(err));
    }
    Instant now = clock.instant();
    return refresh(token).map(row -> {
      if (row.isEmpty() || row.get().used() || row.get().grant().revoked() || !row.get().expiresAt().isAfter(now)
          || !row.get().grant().clientId().equals(client.clientId())) {
        return inactive;
      }
      Grant g = row.get().grant();
      return new JsonObject().put("active", true).put("token_type", "refresh_token").put("client_id", g.clientId())
          .put("scope", Scopes.join(g.scopes())).put("sub", subjects.of(client, g.accountId()))
          .put("exp", row.get().expiresAt().getEpochSecond());
    });
  }

  private static JsonObject active(JWTClaimsSet c) {
    // token_type as the token response named it (RFC 7662 §2.2); a DPoP-bound token with its key (RFC 9449 §6.2)
    String jkt = TokenVerifier.jkt(c);
    JsonObject out = new JsonObject().put("active", true).put("token_type", jkt == null ? "Bearer" : "DPoP")
        .put("client_id", c.getClaim("client_id")).put("sub", c.getSubject()).put("iss", c.getIssuer())
        .put("aud", c.getAudience().size() == 1 ? c.getAudience().get(0) : c.getAudience())
        .put("exp", c.getExpirationTime().toInstant().getEpochSecond()).put("iat", c.getIssueTime().toInstant().getEpochSecond())
        .put("jti", c.getJWTID());
    if (c.getClaim("scope") != null) {
      out.put("scope", c.getClaim("scope"));
    }
    if (jkt != null) {
      out.put("cnf", new JsonObject().put("jkt", jkt));
    }
    return out;
  }

  private static boolean looksLikeJwt(String token) {
    if (token.chars().filter(ch -> ch == '.').count() != 2) {
      return false;
    }
    try {
      SignedJWT.parse(token);
      return true;
    } catch (java.text.ParseException e) {
      return token.startsWith("ey");
    }
  }
}

package jp.tsunagu.platform.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import jp.tsunagu.platform.account.AccountRepository.AccountWithResidence;
import jp.tsunagu.platform.account.AccountService;

/**
 * Claims about the citizen, released by scope (OIDC Core §5.4): {@code profile} → name and
 * locale, {@code email} → address and whether it is verified, {@code address} → the municipality
 * of residence as locality, {@code municipality} → the residence tenant and its code, only when
 * residence is verified.
 */
public final class UserinfoService {
  private final GrantRepository grants;
  private final AccountService accounts;

  UserinfoService(GrantRepository grants, AccountService accounts) {
    this.grants = grants;
    this.accounts = accounts;
  }

  public Future<JsonObject> claims(JWTClaimsSet token) {
    Set<String> scopes = Scopes.parse((String) token.getClaim("scope"));
    if (scopes == null || !scopes.contains(Scopes.OPENID)) {
      return Future.failedFuture(OAuthError.insufficientScope(Scopes.OPENID));
    }
    var grantId = TokenVerifier.grantOf(token);
    if (grantId.isEmpty()) {
      return Future.failedFuture(OAuthError.invalidToken("The access token was not issued for a citizen"));
    }
    return grants.grant(grantId.get())
        .compose(g -> g.isEmpty() || g.get().accountId() == null ? Future.failedFuture(OAuthError.invalidToken("No such grant"))
            : accounts.findWithResidence(g.get().accountId())
                .compose(a -> a.isEmpty() || !stampHolds(g.get(), a.get())
                    ? Future.failedFuture(OAuthError.invalidToken("The citizen's credentials changed or the account no longer exists"))
                    : Future.succeededFuture(release(token.getSubject(), scopes, a.get()))));
  }

  /** A password or e-mail change since the sign-in ends what the grant gave (as it ends other browser sessions). */
  private static boolean stampHolds(Grant g, AccountWithResidence a) {
    return g.accountStamp() == null || g.accountStamp() == a.account().securityStamp();
  }

  static JsonObject release(String sub, Set<String> scopes, AccountWithResidence a) {
    JsonObject out = new JsonObject().put("sub", sub);
    if (scopes.contains("profile")) {
      out.put("name", a.account().displayName()).put("locale", a.account().locale());
    }
    if (scopes.contains("email")) {
      out.put("email", a.account().email()).put("email_verified", a.account().emailVerified());
    }
    a.residence().ifPresent(r -> {
      if (scopes.contains("address")) {
        out.put("address", new JsonObject().put("locality", r.tenantNameJa()).put("country", "JP"));
      }
      if (scopes.contains("municipality")) {
        out.put("municipality", new JsonObject().put("code", r.tenantCode()).put("name", r.tenantNameJa())
            .put("name_en", r.tenantNameEn()).put("verified_at", r.verifiedAt().toEpochSecond()));
      }
    });
    return out;
  }
}

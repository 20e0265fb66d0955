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
  private final ClientService clients;
  private final ServiceConsent consent;

  UserinfoService(GrantRepository grants, AccountService accounts, ClientService clients, ServiceConsent consent) {
    this.grants = grants;
    this.accounts = accounts;
    this.clients = clients;
    this.consent = consent;
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
                    : consented(g.get(), scopes).compose(c -> consent.logRead(c.client(), g.get().accountId(), c.scopes())
                        .map(v -> release(token.getSubject(), c.scopes(), a.get())))));
  }

  private record Consented(Client client, Set<String> scopes) {}

  /**
   * The token's scopes that the citizen's consent permits now (the gate decides each item); the
   * release is written to the citizen's access log before any claim leaves.
   */
  private Future<Consented> consented(Grant g, Set<String> scopes) {
    return clients.find(g.clientId()).compose(found -> found.isEmpty()
        ? Future.failedFuture(OAuthError.invalidToken("The service is no longer registered"))
        : consent.releasable(found.get(), g.accountId(), scopes).compose(allowed -> allowed.contains(Scopes.OPENID)
            ? Future.succeededFuture(new Consented(found.get(), allowed))
            : Future.failedFuture(OAuthError.invalidToken("The citizen's consent to this service is not in force"))));
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

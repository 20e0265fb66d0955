package jp.tsunagu.platform.account;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.http.Api.body;
import static jp.tsunagu.platform.http.Api.clientAddress;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.residence.ResidenceService;
import jp.tsunagu.platform.residence.ResidenceService.Residence;

/** HTTP adapter of the citizen operations; one method per operationId. */
public final class AccountHandlers {
  private final AccountService accounts;
  private final ResidenceService residence;
  private final Auth auth;

  public AccountHandlers(AccountService accounts, ResidenceService residence, Auth auth) {
    this.accounts = accounts;
    this.residence = residence;
    this.auth = auth;
  }

  public void signUp(RoutingContext ctx) {
    JsonObject b = body(ctx);
    respond(ctx, 201, attempt(() -> accounts.signUp(b.getString("email"), b.getString("password"),
        b.getString("displayName"), b.getString("locale", "ja"))).compose(a -> view(a)));
  }

  public void confirmEmail(RoutingContext ctx) {
    respond(ctx, 204, attempt(() -> accounts.confirmEmail(body(ctx).getString("token"))).mapEmpty());
  }

  public void signIn(RoutingContext ctx) {
    JsonObject b = body(ctx);
    respond(ctx, 200, attempt(() -> accounts.signIn(b.getString("email"), b.getString("password"), clientAddress(ctx)))
        .compose(a -> {
          Auth.signInCitizen(ctx, a);
          return view(a);
        }));
  }

  public void signOut(RoutingContext ctx) {
    Auth.signOutCitizen(ctx);
    ctx.response().setStatusCode(204).end();
  }

  public void requestPasswordReset(RoutingContext ctx) {
    respond(ctx, 202, attempt(() -> accounts.requestPasswordReset(body(ctx).getString("email"), clientAddress(ctx))).mapEmpty());
  }

  public void resetPassword(RoutingContext ctx) {
    JsonObject b = body(ctx);
    respond(ctx, 204, attempt(() -> accounts.resetPassword(b.getString("token"), b.getString("newPassword"))).mapEmpty());
  }

  public void getMyAccount(RoutingContext ctx) {
    respond(ctx, 200, auth.citizenWithResidence(ctx).map(me -> toJson(me.account(), me.residence())));
  }

  public void updateMyAccount(RoutingContext ctx) {
    JsonObject b = body(ctx);
    respond(ctx, 200, auth.citizen(ctx)
        .compose(a -> accounts.updateProfile(a.id(), b.getString("displayName"), b.getString("locale", a.locale())).map(a.id()))
        .compose(accounts::find)
        .compose(a -> view(a.orElseThrow())));
  }

  public void changePassword(RoutingContext ctx) {
    JsonObject b = body(ctx);
    respond(ctx, 204, auth.citizen(ctx)
        .compose(a -> accounts.changePassword(a.id(), b.getString("currentPassword"), b.getString("newPassword"))
            .compose(v -> accounts.find(a.id())))
        .map(a -> {
          Auth.refreshStamp(ctx, a.orElseThrow().securityStamp());
          return null;
        }));
  }

  public void requestEmailChange(RoutingContext ctx) {
    JsonObject b = body(ctx);
    respond(ctx, 202, auth.citizen(ctx)
        .compose(a -> accounts.requestEmailChange(a.id(), b.getString("currentPassword"), b.getString("newEmail"))).mapEmpty());
  }

  public void deleteMyAccount(RoutingContext ctx) {
    respond(ctx, 204, auth.citizen(ctx)
        .compose(a -> accounts.delete(a.id(), body(ctx).getString("currentPassword")))
        .map(v -> {
          Auth.signOutCitizen(ctx);
          return null;
        }));
  }

  public void verifyResidence(RoutingContext ctx) {
    String code = body(ctx).getString("code");
    respond(ctx, 200, auth.citizen(ctx)
        .compose(a -> residence.verify(a.id(), code, clientAddress(ctx)))
        .map(Residence::toJson));
  }

  public void getHousehold(RoutingContext ctx) {
    respond(ctx, 200, auth.citizen(ctx).compose(a -> residence.household(a.id())).map(children -> {
      JsonArray out = new JsonArray();
      children.forEach(c -> out.add(c.toJson()));
      return new JsonObject().put("children", out);
    }));
  }

  public void claimDependant(RoutingContext ctx) {
    UUID child = UUID.fromString(body(ctx).getString("recordId"));
    respond(ctx, 204, auth.citizen(ctx).compose(a -> residence.claimDependant(a.id(), child)));
  }

  /** The account as the API shows it: with residence and assurance level. */
  public Future<JsonObject> view(Account a) {
    return residence.current(a.id()).map(res -> toJson(a, res));
  }

  public static JsonObject toJson(Account a, Optional<Residence> res) {
    String level = res.isPresent() ? "resident" : a.emailVerified() ? "email" : "none";
    JsonObject json = new JsonObject().put("id", a.id().toString()).put("email", a.email())
        .put("emailVerified", a.emailVerified()).put("displayName", a.displayName()).put("locale", a.locale())
        .put("assuranceLevel", level);
    res.ifPresent(r -> json.put("residence", r.toJson()));
    return json;
  }
}

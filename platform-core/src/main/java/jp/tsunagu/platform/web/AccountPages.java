package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.http.Api.clientAddress;
import static jp.tsunagu.platform.web.Forms.field;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.account.AccountService;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.residence.ResidenceService;
import jp.tsunagu.platform.residence.ResidenceService.HouseholdChild;
import jp.tsunagu.platform.residence.ResidenceService.Residence;

/**
 * My account (/account): residence status and the 住民照合 code form, household children,
 * profile, e-mail, password and deletion. Each form posts to its own path and comes back here.
 */
final class AccountPages {
  private final AccountService accounts;
  private final ResidenceService residence;
  private final Auth auth;
  private final View view;
  private final boolean secureCookies;

  AccountPages(AccountService accounts, ResidenceService residence, Auth auth, View view, boolean secureCookies) {
    this.accounts = accounts;
    this.residence = residence;
    this.auth = auth;
    this.view = view;
    this.secureCookies = secureCookies;
  }

  void show(RoutingContext ctx) {
    auth.citizen(ctx).onSuccess(a -> render(ctx, a, null, null)).onFailure(ctx::fail);
  }

  void verifyResidence(RoutingContext ctx) {
    String code = field(ctx, "code");
    act(ctx, "residence", a -> residence.verify(a.id(), code, clientAddress(ctx)).mapEmpty(), "flash.resident-verified");
  }

  void claimDependant(RoutingContext ctx) {
    act(ctx, "household", a -> residence.claimDependant(a.id(), Forms.uuid(ctx, "recordId")), "flash.dependant-claimed");
  }

  void updateProfile(RoutingContext ctx) {
    String lang = "en".equals(field(ctx, "locale")) ? "en" : "ja";
    act(ctx, "profile", a -> accounts.updateProfile(a.id(), field(ctx, "displayName"), lang)
        .onSuccess(v -> Lang.choose(ctx, lang, secureCookies)), "flash.profile-saved");
  }

  void changeEmail(RoutingContext ctx) {
    act(ctx, "email", a -> accounts.requestEmailChange(a.id(), field(ctx, "currentPassword"), field(ctx, "newEmail")),
        "flash.email-change-sent");
  }

  void changePassword(RoutingContext ctx) {
    act(ctx, "password", a -> accounts.changePassword(a.id(), field(ctx, "currentPassword"), field(ctx, "newPassword"))
        .compose(v -> accounts.find(a.id()))
        .map(changed -> {
          Auth.refreshStamp(ctx, changed.orElseThrow().securityStamp());
          return null;
        }), "flash.password-changed");
  }

  void delete(RoutingContext ctx) {
    auth.citizen(ctx).onFailure(ctx::fail).onSuccess(a -> attempt(() -> accounts.delete(a.id(), field(ctx, "currentPassword")))
        .onSuccess(v -> {
          Auth.signOutCitizen(ctx);
          View.redirect(ctx, "/account/deleted");
        })
        .onFailure(err -> Forms.refused(ctx, err, p -> render(ctx, a, p, "delete"))));
  }

  void deleted(RoutingContext ctx) {
    view.render(ctx, "account-deleted", Map.of());
  }

  /** Runs one account change; success comes back with a notice, a refusal shows the page with the reason. */
  private void act(RoutingContext ctx, String section, Function<Account, Future<Void>> change, String notice) {
    auth.citizen(ctx).onFailure(ctx::fail).onSuccess(a -> attempt(() -> change.apply(a))
        .onSuccess(v -> {
          View.flash(ctx, notice);
          View.redirect(ctx, "/account");
        })
        .onFailure(err -> Forms.refused(ctx, err, p -> render(ctx, a, p, section))));
  }

  private void render(RoutingContext ctx, Account a, ProblemException problem, String section) {
    residence.current(a.id())
        .compose(res -> (res.isPresent() ? residence.household(a.id()) : Future.succeededFuture(List.<HouseholdChild>of()))
            .map(children -> model(a, res, children)))
        .onSuccess(model -> {
          if (problem != null) {
            model.put("problem", problem);
            model.put("errorSection", section);
          }
          view.render(ctx, problem == null ? 200 : problem.status(), "account", model);
        })
        .onFailure(ctx::fail);
  }

  private static Map<String, Object> model(Account a, Optional<Residence> res, List<HouseholdChild> children) {
    Map<String, Object> model = new HashMap<>();
    model.put("account", Map.of("email", a.email(), "displayName", a.displayName() == null ? "" : a.displayName(),
        "locale", a.locale(), "emailVerified", a.emailVerified()));
    res.ifPresent(r -> model.put("residence", r.toJson().getMap()));
    model.put("children", children.stream().map(c -> c.toJson().getMap()).toList());
    return model;
  }
}

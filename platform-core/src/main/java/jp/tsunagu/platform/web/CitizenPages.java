package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.http.Api.clientAddress;
import static jp.tsunagu.platform.web.Forms.field;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import jp.tsunagu.platform.account.AccountService;
import jp.tsunagu.platform.http.Auth;

/** Sign-up, sign-in and sign-out, e-mail verification and password reset for citizens. */
final class CitizenPages {
  private final AccountService accounts;
  private final View view;
  private final boolean secureCookies;

  CitizenPages(AccountService accounts, View view, boolean secureCookies) {
    this.accounts = accounts;
    this.view = view;
    this.secureCookies = secureCookies;
  }

  void home(RoutingContext ctx) {
    view.render(ctx, "home", Map.of());
  }

  void signUpForm(RoutingContext ctx) {
    view.render(ctx, "sign-up", Map.of());
  }

  void signUp(RoutingContext ctx) {
    String email = field(ctx, "email");
    String name = field(ctx, "displayName");
    attempt(() -> accounts.signUp(email, field(ctx, "password"), name, Lang.of(ctx)))
        .onSuccess(a -> {
          View.flash(ctx, "flash.signup-sent");
          View.redirect(ctx, "/sign-in");
        })
        .onFailure(err -> Forms.refused(ctx, err, p ->
            view.render(ctx, p.status(), "sign-up", Map.of("problem", p, "email", email, "displayName", name))));
  }

  void signInForm(RoutingContext ctx) {
    view.render(ctx, "sign-in", Map.of("next", Lang.safeNext(ctx.request().getParam("next"), "/account")));
  }

  void signIn(RoutingContext ctx) {
    String email = field(ctx, "email");
    String next = Lang.safeNext(field(ctx, "next"), "/account");
    attempt(() -> accounts.signIn(email, field(ctx, "password"), clientAddress(ctx)))
        .onSuccess(a -> {
          Auth.signInCitizen(ctx, a);
          Csrf.rotate(ctx);
          Lang.choose(ctx, a.locale(), secureCookies);
          View.redirect(ctx, next);
        })
        .onFailure(err -> Forms.refused(ctx, err, p ->
            view.render(ctx, p.status(), "sign-in", Map.of("problem", p, "email", email, "next", next))));
  }

  void signOut(RoutingContext ctx) {
    Auth.signOutCitizen(ctx);
    Csrf.rotate(ctx);
    View.redirect(ctx, "/");
  }

  /** The mailed link only shows a button: opening it (as mail scanners do) confirms nothing. */
  void verifyEmailForm(RoutingContext ctx) {
    view.render(ctx, "verify-email", Map.of("token", tokenParam(ctx)));
  }

  void verifyEmail(RoutingContext ctx) {
    String token = field(ctx, "token");
    attempt(() -> accounts.confirmEmail(token))
        .onSuccess(id -> {
          View.flash(ctx, "flash.email-confirmed");
          View.redirect(ctx, ctx.session().get(Auth.ACCOUNT) == null ? "/sign-in" : "/account");
        })
        .onFailure(err -> Forms.refused(ctx, err, p ->
            view.render(ctx, p.status(), "verify-email", Map.of("problem", p, "token", token))));
  }

  void forgotPasswordForm(RoutingContext ctx) {
    view.render(ctx, "forgot-password", Map.of());
  }

  void forgotPassword(RoutingContext ctx) {
    String email = field(ctx, "email");
    attempt(() -> accounts.requestPasswordReset(email, clientAddress(ctx)))
        .onSuccess(v -> {
          View.flash(ctx, "flash.reset-sent");
          View.redirect(ctx, "/forgot-password");
        })
        .onFailure(err -> Forms.refused(ctx, err, p ->
            view.render(ctx, p.status(), "forgot-password", Map.of("problem", p, "email", email))));
  }

  void resetPasswordForm(RoutingContext ctx) {
    view.render(ctx, "reset-password", Map.of("token", tokenParam(ctx)));
  }

  void resetPassword(RoutingContext ctx) {
    String token = field(ctx, "token");
    attempt(() -> accounts.resetPassword(token, field(ctx, "newPassword")))
        .onSuccess(v -> {
          View.flash(ctx, "flash.password-reset");
          View.redirect(ctx, "/sign-in");
        })
        .onFailure(err -> Forms.refused(ctx, err, p ->
            view.render(ctx, p.status(), "reset-password", Map.of("problem", p, "token", token))));
  }

  private static String tokenParam(RoutingContext ctx) {
    String token = ctx.request().getParam("token");
    return token == null ? "" : token;
  }
}

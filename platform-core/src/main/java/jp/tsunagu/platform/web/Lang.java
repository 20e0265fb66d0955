package jp.tsunagu.platform.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.LanguageHeader;
import io.vertx.ext.web.RoutingContext;

/**
 * The page language: the visitor's choice (a cookie set by the language toggle or the account
 * settings), else the browser's Accept-Language, else Japanese.
 */
final class Lang {
  static final String COOKIE = "tsunagu_lang";
  /** A language fixed for this request only (an authorization request's ui_locales). */
  static final String FORCED = "lang.forced";

  private Lang() {}

  static String of(RoutingContext ctx) {
    String forced = ctx.get(FORCED);
    if (forced != null) {
      return forced;
    }
    Cookie chosen = ctx.request().getCookie(COOKIE);
    if (chosen != null && Messages.LANGUAGES.contains(chosen.getValue())) {
      return chosen.getValue();
    }
    for (LanguageHeader accepted : ctx.acceptableLanguages()) {
      if (Messages.LANGUAGES.contains(accepted.tag())) {
        return accepted.tag();
      }
    }
    return "ja";
  }

  static void choose(RoutingContext ctx, String lang, boolean secure) {
    ctx.response().addCookie(Cookie.cookie(COOKIE, "en".equals(lang) ? "en" : "ja").setPath("/")
        .setMaxAge(365L * 24 * 3600).setHttpOnly(true).setSecure(secure).setSameSite(CookieSameSite.LAX));
  }

  /** GET /lang/:lang?next=/path — switches the language and returns to the page. */
  static void toggle(RoutingContext ctx, boolean secure) {
    choose(ctx, ctx.pathParam("lang"), secure);
    View.redirect(ctx, safeNext(ctx.request().getParam("next"), "/"));
  }

  /** A same-site path to return to; anything else (another host, a scheme) becomes the fallback. */
  static String safeNext(String next, String fallback) {
    if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.contains("\r")
        || next.contains("\n")) {
      return fallback;
    }
    return next;
  }
}

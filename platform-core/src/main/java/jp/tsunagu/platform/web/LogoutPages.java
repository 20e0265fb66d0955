package jp.tsunagu.platform.web;

import com.nimbusds.jwt.JWTClaimsSet;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.oidc.Oidc;

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0). With an ID token of this
 * browser's sign-in session as {@code id_token_hint} the session ends at once; without one the
 * citizen is asked first. Ending the session revokes its grants and sends back-channel logout
 * tokens to every service of the session. The browser goes back only to a registered
 * {@code post_logout_redirect_uri} (with {@code state}); anything else ends on the home page.
 */
final class LogoutPages {
  private static final String NEXT = "logout.next";
  private final Oidc oidc;
  private final View view;

  LogoutPages(Oidc oidc, View view) {
    this.oidc = oidc;
    this.view = view;
  }

  /** GET or POST /oauth2/logout */
  void endSession(RoutingContext ctx) {
    MultiMap source = ctx.request().method() == HttpMethod.POST ? ctx.request().formAttributes() : ctx.queryParams();
    for (String name : source.names()) {
      if (source.getAll(name).size() > 1) {
        refused(ctx, "The parameter " + name + " is given more than once");
        return;
      }
    }
    Optional<JWTClaimsSet> hint = Optional.ofNullable(source.get("id_token_hint")).flatMap(oidc.verifier()::idTokenHint);
    if (source.get("id_token_hint") != null && hint.isEmpty()) {
      refused(ctx, "id_token_hint is not an ID token of this provider");
      return;
    }
    String clientId = source.get("client_id");
    if (hint.isPresent() && clientId != null && !hint.get().getAudience().contains(clientId)) {
      refused(ctx, "client_id does not match the id_token_hint");
      return;
    }
    String client = clientId != null ? clientId : hint.map(h -> h.getAudience().get(0)).orElse(null);
    String redirect = source.get("post_logout_redirect_uri");
    String state = source.get("state");
    destination(client, redirect, state).onComplete(ar -> {
      if (ar.failed()) {
        refused(ctx, ar.cause().getMessage());
        return;
      }
      String sid = ctx.session() == null ? null : ctx.session().get(Auth.SID);
      if (sid == null && ctx.request().method() == HttpMethod.POST) {
        // a form post from the service's site carries no SameSite=Lax cookie: ask again as a top-level GET, which does
        View.redirect(ctx, Oidc.LOGOUT_PATH + "?" + query(source));
      } else if (sid == null) {
        View.redirect(ctx, ar.result());
      } else if (hint.isPresent() && sid.equals(hint.get().getClaim("sid"))) {
        end(ctx, sid, ar.result());
      } else {
        ctx.session().put(NEXT, ar.result());
        view.render(ctx, "logout-confirm", Map.of());
      }
    });
  }

  /** POST /logout/confirm (with the CSRF token); the destination was checked and kept when the question was asked. */
  void confirm(RoutingContext ctx) {
    if (ctx.session() == null) {
      View.redirect(ctx, "/");
      return;
    }
    String next = ctx.session().remove(NEXT);
    end(ctx, ctx.session().get(Auth.SID), next == null ? "/" : next);
  }

  private void end(RoutingContext ctx, String sid, String next) {
    oidc.logout().endSession(sid).onComplete(ar -> {
      Auth.signOutCitizen(ctx);
      Csrf.rotate(ctx);
      View.redirect(ctx, next);
    });
  }

  /** Where to send the browser afterwards: a registered URI of the client, or our home page. */
  private Future<String> destination(String clientId, String redirect, String state) {
    if (redirect == null) {
      return Future.succeededFuture("/");
    }
    if (clientId == null) {
      return Future.failedFuture(new IllegalArgumentException("post_logout_redirect_uri needs id_token_hint or client_id"));
    }
    return oidc.clients().find(clientId).compose(c -> {
      if (c.isEmpty() || !c.get().postLogoutRedirectUris().contains(redirect)) {
        return Future.failedFuture(new IllegalArgumentException("post_logout_redirect_uri is not registered for this client"));
      }
      return Future.succeededFuture(state == null ? redirect : appendState(redirect, state));
    });
  }

  private static String appendState(String uri, String state) {
    return uri + (uri.contains("?") ? "&" : "?") + "state=" + java.net.URLEncoder.encode(state, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String query(MultiMap params) {
    StringBuilder out = new StringBuilder();
    for (String name : params.names()) {
      out.append(out.isEmpty() ? "" : "&").append(java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8))
          .append('=').append(java.net.URLEncoder.encode(params.get(name), java.nio.charset.StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  private void refused(RoutingContext ctx, String description) {
    view.render(ctx, 400, "error", Map.of("problem", new ProblemException(400, "logout-refused", "Sign-out refused", description),
        "status", 400, "errorSection", "page"));
  }
}

package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.web.Forms.field;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.notify.EmailChannel;
import jp.tsunagu.platform.notify.ManageLinks;
import jp.tsunagu.platform.profile.Frequency;
import jp.tsunagu.platform.profile.Profile;
import jp.tsunagu.platform.profile.ProfileService;
import jp.tsunagu.platform.profile.Subscription;

/**
 * Managing notices from the link in a notice mail, without signing in (/notices/manage). Opening
 * the link only shows a button: mail scanners open links, and nothing may change by a GET. The
 * button's POST uses the link up (each works once) and lets this browser session manage that
 * account's notices — how often they come, the subscriptions, the e-mail channel — for 30 minutes.
 * Nothing else of the account is reachable this way; the full settings need a sign-in.
 */
final class NoticeManagePages {
  static final String GRANT = "noticeManage";
  private static final long GRANT_MILLIS = 30 * 60 * 1000L;

  private final ManageLinks links;
  private final ProfileService profiles;
  private final EmailChannel email;
  private final View view;

  NoticeManagePages(ManageLinks links, ProfileService profiles, EmailChannel email, View view) {
    this.links = links;
    this.profiles = profiles;
    this.email = email;
    this.view = view;
  }

  /** The link's page: a button, or why the link no longer works. Changes nothing. */
  void open(RoutingContext ctx) {
    String token = ctx.request().getParam("token", "");
    if (links.peek(token).isEmpty()) {
      view.render(ctx, 410, "notices/done", Map.of("heading", "notices.manage.title",
          "problem", ProblemException.gone("invalid-token", "This link is invalid, used or expired"), "signIn", true));
      return;
    }
    view.render(ctx, "notices/ask", Map.of("action", "/notices/manage", "token", token, "heading", "notices.manage.title",
        "text", "notices.manage.text", "button", "notices.manage.submit"));
  }

  /** Uses the link up and lets this session manage the account's notices. */
  void exchange(RoutingContext ctx) {
    links.use(field(ctx, "token"))
        .onSuccess(account -> {
          ctx.session().regenerateId();
          ctx.session().put(GRANT, account + "|" + (System.currentTimeMillis() + GRANT_MILLIS));
          View.redirect(ctx, "/notices/manage/settings");
        })
        .onFailure(err -> Forms.refused(ctx, err, p -> view.render(ctx, p.status(), "notices/done",
            Map.of("heading", "notices.manage.title", "problem", p, "signIn", true))));
  }

  void settings(RoutingContext ctx) {
    granted(ctx).compose(account -> model(account)).onSuccess(model -> view.render(ctx, "notices/manage", model)).onFailure(ctx::fail);
  }

  void frequency(RoutingContext ctx) {
    granted(ctx).compose(account -> profiles.find(account).compose(found -> {
          Profile p = found.orElseThrow(() -> ProblemException.notFound("Profile"));
          return jp.tsunagu.platform.http.Api.attempt(() -> profiles.save(new Profile(p.accountId(), p.tenantCode(), p.interests(),
              p.homeDistrict(), p.workDistrict(), p.schoolDistricts(), p.dueDate(), p.childBirthDates(), p.language(), p.channels(),
              p.quietStart(), p.quietEnd(), Frequency.of(field(ctx, "frequency")), null)));
        }).map(account))
        .onSuccess(v -> done(ctx, "flash.interests-saved"))
        .onFailure(err -> Forms.refused(ctx, err, p -> granted(ctx).compose(this::model).onFailure(ctx::fail).onSuccess(model -> {
          model.put("problem", p);
          view.render(ctx, p.status(), "notices/manage", model);
        })));
  }

  void removeSubscription(RoutingContext ctx) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      ctx.fail(ProblemException.notFound("Subscription"));
      return;
    }
    granted(ctx).compose(account -> profiles.unsubscribe(account, id))
        .onSuccess(v -> done(ctx, "flash.unsubscribed")).onFailure(ctx::fail);
  }

  void stopEmail(RoutingContext ctx) {
    granted(ctx).compose(account -> email.stop(account, "unsubscribed"))
        .onSuccess(v -> done(ctx, "flash.email-stopped")).onFailure(ctx::fail);
  }

  private static void done(RoutingContext ctx, String flash) {
    View.flash(ctx, flash);
    View.redirect(ctx, "/notices/manage/settings");
  }

  private Future<Map<String, Object>> model(UUID account) {
    return Future.all(profiles.find(account), profiles.subscriptions(account), email.state(account)).map(all -> {
      Map<String, Object> model = new HashMap<>();
      Optional<Profile> profile = all.resultAt(0);
      model.put("frequency", profile.map(p -> p.frequency().apiName()).orElse(null));
      model.put("subscriptions", all.<List<Subscription>>resultAt(1).stream().map(s -> DeliveryPages.plain(s.toJson())).toList());
      model.put("emailState", all.<io.vertx.core.json.JsonObject>resultAt(2).getString("state"));
      return model;
    });
  }

  /** The account this session may manage notices of, while the grant lasts. */
  private static Future<UUID> granted(RoutingContext ctx) {
    Session session = ctx.session();
    String grant = session == null ? null : session.get(GRANT);
    if (grant != null) {
      String[] parts = grant.split("\\|");
      if (parts.length == 2 && Long.parseLong(parts[1]) > System.currentTimeMillis()) {
        return Future.succeededFuture(UUID.fromString(parts[0]));
      }
      session.remove(GRANT);
    }
    return Future.failedFuture(new ProblemException(401, "unauthenticated", "Unauthenticated",
        "Open the link in a notice mail again, or sign in"));
  }
}

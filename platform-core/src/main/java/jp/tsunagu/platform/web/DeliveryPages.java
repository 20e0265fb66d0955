package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.web.Forms.field;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.content.ContentRepository;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.notify.InboxRepository;
import jp.tsunagu.platform.profile.Frequency;
import jp.tsunagu.platform.profile.Profile;
import jp.tsunagu.platform.profile.ProfileService;
import jp.tsunagu.platform.profile.Subscription;
import jp.tsunagu.platform.tenant.TenantService;

/**
 * The citizen's inbox (/inbox, updated live by /static/inbox.js over server-sent events) and their
 * interests (/interests): the profile form and the subscriptions.
 */
final class DeliveryPages {
  private final ProfileService profiles;
  private final InboxRepository inbox;
  private final jp.tsunagu.platform.notify.EmailChannel email;
  private final ContentRepository content;
  private final TenantService tenants;
  private final Auth auth;
  private final View view;

  DeliveryPages(ProfileService profiles, InboxRepository inbox, jp.tsunagu.platform.notify.EmailChannel email,
                ContentRepository content, TenantService tenants, Auth auth, View view) {
    this.profiles = profiles;
    this.inbox = inbox;
    this.email = email;
    this.content = content;
    this.tenants = tenants;
    this.auth = auth;
    this.view = view;
  }

  void inbox(RoutingContext ctx) {
    auth.citizen(ctx).compose(a -> inbox.list(a.id(), null, false, 50)
            .compose(items -> inbox.unread(a.id()).map(unread -> Map.<String, Object>of("notifications",
                items.stream().map(o -> ((JsonObject) o).getMap()).toList(), "unread", unread))))
        .onSuccess(model -> view.render(ctx, "delivery/inbox", model))
        .onFailure(ctx::fail);
  }

  void markAllRead(RoutingContext ctx) {
    auth.citizen(ctx).compose(a -> inbox.markRead(a.id(), null))
        .onSuccess(v -> View.redirect(ctx, "/inbox"))
        .onFailure(ctx::fail);
  }

  void interests(RoutingContext ctx) {
    auth.citizenWithResidence(ctx).onFailure(ctx::fail).onSuccess(a -> profiles.find(a.account().id())
        .onFailure(ctx::fail)
        .onSuccess(found -> {
          String tenant = found.map(Profile::tenantCode).orElse(a.residence()
              .map(jp.tsunagu.platform.residence.ResidenceService.Residence::tenantCode)
              .orElse(ctx.request().getParam("tenant", "")));
          render(ctx, a.account(), tenant, found.orElse(null), null);
        }));
  }

  void saveProfile(RoutingContext ctx) {
    auth.citizen(ctx).onFailure(ctx::fail).onSuccess(a -> {
      String tenant = field(ctx, "tenant").strip();
      Future<Profile> saved = jp.tsunagu.platform.http.Api.attempt(() -> profiles.save(profile(ctx, a.id(), tenant)));
      saved.onSuccess(p -> {
        View.flash(ctx, "flash.interests-saved");
        View.redirect(ctx, "/interests");
      }).onFailure(err -> Forms.refused(ctx, err, p -> render(ctx, a, tenant, null, p)));
    });
  }

  void addSubscription(RoutingContext ctx) {
    auth.citizen(ctx).onFailure(ctx::fail).onSuccess(a -> {
      String tenant = field(ctx, "tenant").strip();
      List<String> tags = Arrays.stream(field(ctx, "tags").split("[,、\\s]+")).filter(s -> !s.isBlank()).distinct().toList();
      Subscription draft = new Subscription(UUID.randomUUID(), a.id(), tenant, Subscription.Kind.TOPICS,
          ctx.request().formAttributes().getAll("category"), tags, "all".equals(field(ctx, "match")), null, Map.of(), null,
          Frequency.of(field(ctx, "frequency").isEmpty() ? null : field(ctx, "frequency")), null);
      jp.tsunagu.platform.http.Api.attempt(() -> profiles.subscribe(draft))
          .onSuccess(s -> {
            View.flash(ctx, "flash.subscribed");
            View.redirect(ctx, "/interests");
          })
          .onFailure(err -> Forms.refused(ctx, err, p -> render(ctx, a, tenant, null, p)));
    });
  }

  /** Starts the double opt-in of notices by e-mail (the mailed link confirms it). */
  void requestEmail(RoutingContext ctx) {
    auth.citizen(ctx).compose(email::request)
        .onSuccess(state -> {
          View.flash(ctx, "flash.email-optin-sent");
          View.redirect(ctx, "/interests");
        })
        .onFailure(ctx::fail);
  }

  void removeSubscription(RoutingContext ctx) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      ctx.fail(ProblemException.notFound("Subscription"));
      return;
    }
    auth.citizen(ctx).compose(a -> profiles.unsubscribe(a.id(), id))
        .onSuccess(v -> {
          View.flash(ctx, "flash.unsubscribed");
          View.redirect(ctx, "/interests");
        })
        .onFailure(ctx::fail);
  }

  private void render(RoutingContext ctx, Account account, String tenant, Profile profile, ProblemException problem) {
    Future<List<ContentRepository.Term>> terms = tenant.isEmpty() ? Future.succeededFuture(List.of()) : content.taxonomy(tenant);
    Future<List<jp.tsunagu.platform.tenant.District>> districts = tenant.isEmpty() ? Future.succeededFuture(List.of())
        : tenants.districts(tenant).recover(e -> Future.succeededFuture(List.of()));
    Future.all(terms, districts, profiles.subscriptions(account.id()), email.state(account.id())).onFailure(ctx::fail).onSuccess(all -> {
      Map<String, Object> model = new HashMap<>();
      model.put("tenant", tenant);
      model.put("emailState", all.<JsonObject>resultAt(3).getString("state"));
      model.put("categories", terms.result().stream().filter(t -> "category".equals(t.kind()))
          .map(t -> Map.of("code", t.code(), "nameJa", t.nameJa(), "nameEn", t.nameEn())).toList());
      model.put("districts", districts.result().stream().map(d -> d.toJson().getMap()).toList());
      model.put("subscriptions", all.<List<Subscription>>resultAt(2).stream().map(s -> plain(s.toJson())).toList());
      if (profile != null) {
        model.put("profile", plain(profile.toJson(profiles.today())));
      } else if (problem != null) {
        model.put("profile", plain(submitted(ctx)));
      }
      if (problem != null) {
        model.put("problem", problem);
      }
      view.render(ctx, problem == null ? 200 : problem.status(), "delivery/interests", model);
    });
  }

  /** JSON as plain maps and lists, which the templates' operators (contains, join) understand. */
  static Map<String, Object> plain(JsonObject json) {
    Map<String, Object> out = new HashMap<>();
    json.forEach(e -> out.put(e.getKey(), plainValue(e.getValue())));
    return out;
  }

  private static Object plainValue(Object value) {
    if (value instanceof JsonObject o) {
      return plain(o);
    }
    if (value instanceof io.vertx.core.json.JsonArray a) {
      return a.stream().map(DeliveryPages::plainValue).toList();
    }
    return value;
  }

  /** What the form sent, shown again after a refusal. */
  private static JsonObject submitted(RoutingContext ctx) {
    return new JsonObject().put("interests", ctx.request().formAttributes().getAll("interest"))
        .put("homeDistrict", field(ctx, "homeDistrict")).put("dueDate", field(ctx, "dueDate"))
        .put("childBirthDatesText", field(ctx, "childBirthDates"))
        .put("channels", ctx.request().formAttributes().getAll("channel")).put("frequency", field(ctx, "frequency"));
  }

  private static Profile profile(RoutingContext ctx, UUID accountId, String tenant) {
    if (tenant.isEmpty()) {
      throw ProblemException.badRequest("unknown-tenant", "Choose a municipality");
    }
    List<LocalDate> births = new ArrayList<>();
    for (String d : field(ctx, "childBirthDates").split("[,、\\s]+")) {
      if (!d.isBlank()) {
        births.add(date(d));
      }
    }
    List<String> channels = new ArrayList<>(List.of("inbox"));
    ctx.request().formAttributes().getAll("channel").stream().filter(c -> !channels.contains(c)).forEach(channels::add);
    String home = field(ctx, "homeDistrict");
    String quietStart = field(ctx, "quietStart");
    String quietEnd = field(ctx, "quietEnd");
    boolean quiet = !quietStart.isEmpty() && !quietEnd.isEmpty();
    return new Profile(accountId, tenant, ctx.request().formAttributes().getAll("interest").stream().distinct().toList(),
        home.isEmpty() ? null : home, null, List.of(), field(ctx, "dueDate").isEmpty() ? null : date(field(ctx, "dueDate")),
        births.stream().distinct().sorted().toList(), "en".equals(Lang.of(ctx)) ? "en" : "ja", channels,
        quiet ? time(quietStart) : null, quiet ? time(quietEnd) : null,
        Frequency.of(field(ctx, "frequency").isEmpty() ? null : field(ctx, "frequency")), null);
  }

  private static LocalDate date(String text) {
    try {
      return LocalDate.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest("invalid-date", "'" + text + "' is not a date");
    }
  }

  private static LocalTime time(String text) {
    try {
      return LocalTime.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest("invalid-quiet-hours", "'" + text + "' is not a time of day");
    }
  }
}

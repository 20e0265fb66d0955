package jp.tsunagu.platform.profile;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.http.Api.body;
import static jp.tsunagu.platform.http.Api.path;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.StaffService;
import jp.tsunagu.platform.tenant.TenantService;

/** HTTP adapter of profiles and subscriptions; one method per operationId. */
public final class ProfileHandlers {
  private final ProfileService profiles;
  private final TenantService tenants;
  private final Auth auth;

  public ProfileHandlers(ProfileService profiles, TenantService tenants, Auth auth) {
    this.profiles = profiles;
    this.tenants = tenants;
    this.auth = auth;
  }

  public void getMyProfile(RoutingContext ctx) {
    respond(ctx, 200, auth.citizen(ctx).compose(a -> profiles.find(a.id()))
        .compose(found -> found.isEmpty() ? Future.failedFuture(ProblemException.notFound("Your interest profile"))
            : Future.succeededFuture(found.get().toJson(profiles.today()))));
  }

  public void saveMyProfile(RoutingContext ctx) {
    JsonObject b = body(ctx);
    respond(ctx, 200, auth.citizen(ctx).compose(a -> attempt(() -> profiles.save(profile(a.id(), b))))
        .map(p -> p.toJson(profiles.today())));
  }

  public void listMySubscriptions(RoutingContext ctx) {
    respond(ctx, 200, auth.citizen(ctx).compose(a -> profiles.subscriptions(a.id())).map(list -> {
      JsonArray items = new JsonArray();
      list.forEach(s -> items.add(s.toJson()));
      return new JsonObject().put("items", items);
    }));
  }

  public void createSubscription(RoutingContext ctx) {
    JsonObject b = body(ctx);
    respond(ctx, 201, auth.citizen(ctx).compose(a -> attempt(() -> profiles.subscribe(subscription(a.id(), b))))
        .map(Subscription::toJson));
  }

  public void deleteSubscription(RoutingContext ctx) {
    UUID id = UUID.fromString(path(ctx, "subscriptionId"));
    respond(ctx, 204, auth.citizen(ctx).compose(a -> profiles.unsubscribe(a.id(), id)));
  }

  public void getProfileStatistics(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    respond(ctx, 200, auth.staff(ctx).compose(s -> attempt(() -> {
      StaffService.authorise(s, tenant, Role.TENANT_ADMIN, Role.EDITOR, Role.AUDITOR);
      return tenants.require(tenant);
    })).compose(t -> profiles.statistics(tenant)));
  }

  static Profile profile(UUID accountId, JsonObject b) {
    JsonObject quiet = b.getJsonObject("quietHours");
    List<String> channels = new ArrayList<>(strings(b.getJsonArray("channels")));
    if (!channels.contains("inbox")) {
      channels.add(0, "inbox");
    }
    List<LocalDate> births = new ArrayList<>();
    for (String d : strings(b.getJsonArray("childBirthDates"))) {
      births.add(date("childBirthDates", d));
    }
    return new Profile(accountId, b.getString("tenantCode"), distinct(strings(b.getJsonArray("interests"))),
        b.getString("homeDistrict"), b.getString("workDistrict"), distinct(strings(b.getJsonArray("schoolDistricts"))),
        b.getString("dueDate") == null ? null : date("dueDate", b.getString("dueDate")), births.stream().distinct().sorted().toList(),
        b.getString("language", "ja"), distinct(channels),
        quiet == null ? null : time("quietHours.start", quiet.getString("start")),
        quiet == null ? null : time("quietHours.end", quiet.getString("end")),
        Frequency.of(b.getString("frequency")), null);
  }

  static Subscription subscription(UUID accountId, JsonObject b) {
    Subscription.Kind kind = Subscription.Kind.valueOf(b.getString("kind").toUpperCase(java.util.Locale.ROOT));
    JsonObject search = b.getJsonObject("search");
    Map<String, List<String>> filters = new LinkedHashMap<>();
    if (search != null && search.getJsonObject("filters") != null) {
      search.getJsonObject("filters").forEach(e -> filters.put(e.getKey(), strings((JsonArray) e.getValue())));
    }
    String page = b.getString("pageId");
    return new Subscription(UUID.randomUUID(), accountId, b.getString("tenantCode"), kind,
        distinct(strings(b.getJsonArray("categories"))), distinct(strings(b.getJsonArray("tags"))),
        "all".equals(b.getString("match", "any")), search == null ? null : search.getString("text", ""), filters,
        page == null ? null : UUID.fromString(page), Frequency.of(b.getString("frequency")), null);
  }

  private static LocalDate date(String field, String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest("invalid-date", field + ": '" + text + "' is not a date");
    }
  }

  private static LocalTime time(String field, String text) {
    try {
      return LocalTime.parse(text);
    } catch (DateTimeParseException | NullPointerException e) {
      throw ProblemException.badRequest("invalid-quiet-hours", field + ": '" + text + "' is not a time of day (HH:MM)");
    }
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }

  private static List<String> distinct(List<String> values) {
    return values.stream().distinct().toList();
  }
}

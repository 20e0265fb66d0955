package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.web.Forms.field;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.platform.content.ContentRepository;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.notify.NotifyModule;
import jp.tsunagu.platform.notify.StaffNotices;
import jp.tsunagu.platform.notify.StaffNotices.Segment;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.tenant.TenantService;
import jp.tsunagu.platform.web.StaffAccess.Scope;

/**
 * The console's notices section (/staff/t/{code}/notices): compose a notice for a segment
 * (categories, districts, life stages), see its reach per channel before sending, send it now or
 * at a time (JST), cancel it until it goes, and read every notice's counters (queued, sent,
 * failed, opened per channel). Editors and tenant admins compose; auditors read the counters.
 * Staff see counts only, never who.
 */
final class StaffNoticePages {
  private static final ZoneId JST = ZoneId.of("Asia/Tokyo");
  private static final Role[] SENDERS = {Role.EDITOR, Role.TENANT_ADMIN};
  private static final Role[] READERS = {Role.EDITOR, Role.TENANT_ADMIN, Role.AUDITOR};

  private final NotifyModule delivery;
  private final StaffNotices notices;
  private final ContentRepository content;
  private final TenantService tenants;
  private final StaffAccess access;
  private final View view;

  StaffNoticePages(NotifyModule delivery, ContentRepository content, TenantService tenants, StaffAccess access, View view) {
    this.delivery = delivery;
    this.notices = delivery.staffNotices();
    this.content = content;
    this.tenants = tenants;
    this.access = access;
    this.view = view;
  }

  void list(RoutingContext ctx) {
    access.scope(ctx, READERS).onFailure(ctx::fail).onSuccess(scope -> render(ctx, scope, 200, typed(ctx, false), null, null));
  }

  /** Shows the form again with the reach of its segment now; sends nothing. */
  void preview(RoutingContext ctx) {
    Map<String, Object> typed = typed(ctx, true);
    access.scope(ctx, SENDERS).onFailure(ctx::fail).onSuccess(scope -> attempt(() -> notices.reach(scope.tenant().code(), segment(ctx)))
        .onSuccess(reach -> render(ctx, scope, 200, typed, Map.of("total", reach.getLong("total"),
            "channels", reach.getJsonObject("channels").getMap()), null))
        .onFailure(err -> Forms.refused(ctx, err, p -> render(ctx, scope, p.status(), typed, null, p))));
  }

  void compose(RoutingContext ctx) {
    Map<String, Object> typed = typed(ctx, true);
    access.scope(ctx, SENDERS).onFailure(ctx::fail).onSuccess(scope -> attempt(() -> {
          String title = field(ctx, "title").strip();
          String url = field(ctx, "url").strip();
          String summary = field(ctx, "summary").strip();
          check(title, url, summary);
          OffsetDateTime sendAt = sendAt(field(ctx, "sendAt"));
          return notices.compose(scope.staff(), scope.tenant().code(), title, url, summary, segment(ctx), sendAt);
        })
        .onSuccess(n -> {
          View.flash(ctx, field(ctx, "sendAt").isBlank() ? "flash.notice-sending" : "flash.notice-scheduled");
          View.redirect(ctx, "/staff/t/" + scope.tenant().code() + "/notices");
        })
        .onFailure(err -> Forms.refused(ctx, err, p -> render(ctx, scope, p.status(), typed, null, p))));
  }

  void cancel(RoutingContext ctx) {
    access.scope(ctx, SENDERS).onFailure(ctx::fail).onSuccess(scope -> attempt(() -> notices.cancel(scope.staff(),
            scope.tenant().code(), id(ctx)))
        .onSuccess(v -> {
          View.flash(ctx, "flash.notice-cancelled");
          View.redirect(ctx, "/staff/t/" + scope.tenant().code() + "/notices");
        })
        .onFailure(err -> Forms.refused(ctx, err, p -> render(ctx, scope, p.status(), typed(ctx, false), null, p))));
  }

  private void render(RoutingContext ctx, Scope scope, int status, Map<String, Object> typed, Map<String, Object> reach,
                      ProblemException problem) {
    String code = scope.tenant().code();
    boolean sender = scope.may(SENDERS);
    Future.all(sender ? notices.list(code) : Future.succeededFuture(new io.vertx.core.json.JsonArray()),
            delivery.noticeCounters(code, 50), content.taxonomy(code), tenants.districts(code))
        .onFailure(ctx::fail)
        .onSuccess(all -> {
          Map<String, Object> model = scope.model();
          model.put("sender", sender);
          model.put("composed", all.<io.vertx.core.json.JsonArray>resultAt(0).stream().map(o -> shown((JsonObject) o)).toList());
          model.put("counters", all.<JsonObject>resultAt(1).getJsonArray("items").stream().map(o -> counters((JsonObject) o)).toList());
          model.put("categories", all.<List<ContentRepository.Term>>resultAt(2).stream().filter(t -> "category".equals(t.kind()))
              .map(t -> Map.of("code", t.code(), "nameJa", t.nameJa(), "nameEn", t.nameEn())).toList());
          model.put("districts", all.<List<jp.tsunagu.platform.tenant.District>>resultAt(3).stream().map(d -> d.toJson().getMap()).toList());
          model.put("lifeStages", ContentPages.LIFE_STAGES);
          model.put("typed", typed);
          if (reach != null) {
            model.put("reach", reach);
          }
          if (problem != null) {
            model.put("problem", problem);
          }
          view.render(ctx, status, "staff/notices", model);
        });
  }

  /** A composed notice as the table shows it: times in JST. */
  private static Map<String, Object> shown(JsonObject n) {
    Map<String, Object> m = new HashMap<>(n.getMap());
    m.put("sendAtJst", jst(n.getString("sendAt")));
    return m;
  }

  /** A notice's counters as rows per channel, inbox first. */
  private static Map<String, Object> counters(JsonObject n) {
    Map<String, Object> m = new HashMap<>(n.getMap());
    m.put("createdAtJst", jst(n.getString("createdAt")));
    JsonObject channels = n.getJsonObject("channels");
    m.put("rows", List.of("inbox", "webpush", "email", "webhook").stream().filter(channels::containsKey)
        .map(c -> Map.of("channel", c, "counts", channels.getJsonObject(c).getMap())).toList());
    return m;
  }

  private static String jst(String instant) {
    return instant == null ? "" : OffsetDateTime.parse(instant).atZoneSameInstant(JST).toLocalDateTime().toString().replace('T', ' ');
  }

  private static Segment segment(RoutingContext ctx) {
    var form = ctx.request().formAttributes();
    return new Segment(form.getAll("category").stream().distinct().toList(), form.getAll("district").stream().distinct().toList(),
        form.getAll("lifeStage").stream().distinct().toList());
  }

  /** What the form sent, to show it again. */
  private static Map<String, Object> typed(RoutingContext ctx, boolean posted) {
    Map<String, Object> m = new HashMap<>();
    if (posted) {
      var form = ctx.request().formAttributes();
      m.put("title", field(ctx, "title"));
      m.put("url", field(ctx, "url"));
      m.put("summary", field(ctx, "summary"));
      m.put("sendAt", field(ctx, "sendAt"));
      m.put("categories", form.getAll("category"));
      m.put("districts", form.getAll("district"));
      m.put("lifeStages", form.getAll("lifeStage"));
    } else {
      m.put("categories", List.of());
      m.put("districts", List.of());
      m.put("lifeStages", List.of());
    }
    return m;
  }

  private static void check(String title, String url, String summary) {
    if (title.isEmpty() || title.length() > 300) {
      throw ProblemException.badRequest("invalid-notice-title", "The title needs 1 to 300 characters");
    }
    if (summary.length() > 2000) {
      throw ProblemException.badRequest("invalid-notice-summary", "The summary takes at most 2000 characters");
    }
    try {
      URI u = URI.create(url);
      if (url.length() > 2000 || u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("invalid-notice-url", "The address must be an http or https URL");
    }
  }

  /** The sending time typed in JST (empty: now); a time already past is refused. */
  private static OffsetDateTime sendAt(String text) {
    if (text.isBlank()) {
      return null;
    }
    try {
      OffsetDateTime at = LocalDateTime.parse(text.strip()).atZone(JST).toOffsetDateTime();
      if (at.isBefore(OffsetDateTime.now().minusMinutes(1))) {
        throw ProblemException.badRequest("send-at-past", "The sending time has passed");
      }
      return at;
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest("invalid-send-at", "'" + text + "' is not a date and time");
    }
  }

  private static UUID id(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("notice"));
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("Notice");
    }
  }
}

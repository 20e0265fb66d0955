package jp.tsunagu.platform.notify;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.http.Api.body;
import static jp.tsunagu.platform.http.Api.path;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.staff.StaffService;
import jp.tsunagu.platform.tenant.TenantService;

/** HTTP adapter of staff-composed notices: reach preview, compose (schedule), list, cancel. */
public final class StaffNoticeHandlers {
  private final StaffNotices notices;
  private final LifeStageProgrammes programmes;
  private final TenantService tenants;
  private final Auth auth;

  StaffNoticeHandlers(StaffNotices notices, LifeStageProgrammes programmes, TenantService tenants, Auth auth) {
    this.notices = notices;
    this.programmes = programmes;
    this.tenants = tenants;
    this.auth = auth;
  }

  public void previewReach(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    JsonObject b = body(ctx);
    respond(ctx, 200, sender(ctx, tenant).compose(s -> notices.reach(tenant, segment(b.getJsonObject("segment")))));
  }

  public void composeNotice(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    JsonObject b = body(ctx);
    respond(ctx, 201, sender(ctx, tenant).compose(s -> notices.compose(s, tenant, b.getString("title"), b.getString("url"),
        b.getString("summary"), segment(b.getJsonObject("segment")),
        b.getString("sendAt") == null ? null : OffsetDateTime.parse(b.getString("sendAt")))));
  }

  public void listStaffNotices(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    respond(ctx, 200, sender(ctx, tenant).compose(s -> notices.list(tenant)).map(items -> new JsonObject().put("items", items)));
  }

  public void cancelNotice(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    UUID id = UUID.fromString(path(ctx, "staffNoticeId"));
    respond(ctx, 204, sender(ctx, tenant).compose(s -> notices.cancel(s, tenant, id)));
  }

  public void createLifeStageMessage(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    JsonObject b = body(ctx);
    respond(ctx, 201, sender(ctx, tenant).compose(s -> programmes.create(s, tenant, b.getString("title"), b.getString("url"),
        b.getString("summary"), b.getInteger("pregnancyWeek"), b.getInteger("ageMonths"), b.getInteger("ageDays"))));
  }

  public void listLifeStageMessages(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    respond(ctx, 200, sender(ctx, tenant).compose(s -> programmes.list(tenant)).map(items -> new JsonObject().put("items", items)));
  }

  public void deleteLifeStageMessage(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    UUID id = UUID.fromString(path(ctx, "messageId"));
    respond(ctx, 204, sender(ctx, tenant).compose(s -> programmes.delete(s, tenant, id)));
  }

  public void sendPersonalNotice(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    UUID record = UUID.fromString(path(ctx, "recordId"));
    JsonObject b = body(ctx);
    respond(ctx, 201, auth.staff(ctx).compose(s -> attempt(() -> {
      StaffService.authorise(s, tenant, Role.RESIDENT_CLERK, Role.TENANT_ADMIN);
      return tenants.require(tenant).map(s);
    })).compose(s -> notices.sendPersonal(s, tenant, record, b.getString("title"), b.getString("url"), b.getString("summary"))));
  }

  private Future<Staff> sender(RoutingContext ctx, String tenant) {
    return auth.staff(ctx).compose(s -> attempt(() -> {
      StaffService.authorise(s, tenant, Role.TENANT_ADMIN, Role.EDITOR);
      return tenants.require(tenant).map(s);
    }));
  }

  static StaffNotices.Segment segment(JsonObject json) {
    JsonObject s = json == null ? new JsonObject() : json;
    return new StaffNotices.Segment(strings(s.getJsonArray("categories")), strings(s.getJsonArray("districts")),
        strings(s.getJsonArray("lifeStages")));
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> out.add(String.valueOf(v)));
    }
    return out.stream().distinct().toList();
  }
}

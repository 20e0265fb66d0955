package jp.tsunagu.platform.notify;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.http.Api.path;
import static jp.tsunagu.platform.http.Api.query;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.StaffService;
import jp.tsunagu.platform.tenant.TenantService;

/**
 * Staff's view of what was told: a municipality's notices with their counters per channel
 * (queued, sent, failed, opened), read from {@code notice} and {@code notice_stats}, which the
 * writers keep — never by counting notification or delivery rows. Counts only, no recipients.
 */
public final class NoticeStatistics {
  private final Pool pool;
  private final TenantService tenants;
  private final Auth auth;

  NoticeStatistics(Pool pool, TenantService tenants, Auth auth) {
    this.pool = pool;
    this.tenants = tenants;
    this.auth = auth;
  }

  public void listNoticeStatistics(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    RequestParameter limit = query(ctx, "limit");
    respond(ctx, 200, auth.staff(ctx).compose(s -> attempt(() -> {
      StaffService.authorise(s, tenant, Role.TENANT_ADMIN, Role.EDITOR, Role.AUDITOR);
      return tenants.require(tenant);
    })).compose(t -> list(pool, tenant, limit == null || limit.isNull() ? 50 : limit.getInteger())));
  }

  /** A municipality's newest notices with their counters per channel. */
  static Future<JsonObject> list(Pool pool, String tenant, int limit) {
    return pool.preparedQuery("SELECT o.id, o.kind, o.title, o.url, o.recipients, o.created_at, s.channel, s.queued, s.sent, "
            + "s.failed, s.opened FROM (SELECT * FROM notice WHERE tenant_code = $1 ORDER BY id DESC LIMIT $2) o "
            + "LEFT JOIN notice_stats s ON s.notice_id = o.id ORDER BY o.id DESC, s.channel")
        .execute(Tuple.of(tenant, limit))
        .map(rows -> {
          Map<Long, JsonObject> notices = new LinkedHashMap<>();
          for (Row r : rows) {
            JsonObject n = notices.computeIfAbsent(r.getLong("id"), id -> new JsonObject().put("id", id)
                .put("kind", r.getString("kind")).put("title", r.getString("title")).put("url", r.getString("url"))
                .put("recipients", r.getInteger("recipients"))
                .put("createdAt", r.getOffsetDateTime("created_at").withOffsetSameInstant(ZoneOffset.UTC).toString())
                .put("channels", new JsonObject()));
            if (r.getString("channel") != null) {
              n.getJsonObject("channels").put(r.getString("channel"), new JsonObject().put("queued", r.getInteger("queued"))
                  .put("sent", r.getInteger("sent")).put("failed", r.getInteger("failed")).put("opened", r.getInteger("opened")));
            }
          }
          return new JsonObject().put("items", new JsonArray(new java.util.ArrayList<>(notices.values())));
        });
  }

  /** Removes notices older than the retention (their notifications, deliveries and counters go with them). */
  static Future<Integer> purge(Pool pool, int retentionDays) {
    return pool.preparedQuery("DELETE FROM notice WHERE id IN (SELECT id FROM notice WHERE created_at < now() - make_interval(days => $1) "
            + "ORDER BY id LIMIT 10000)").execute(Tuple.of(retentionDays))
        .compose(r -> pool.preparedQuery("DELETE FROM subscription WHERE deleted_at < now() - make_interval(days => $1)")
            .execute(Tuple.of(retentionDays)).map(r.rowCount()));
  }
}

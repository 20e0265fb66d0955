package jp.tsunagu.platform.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Append-only log of every data change made by staff (and notable changes by the system). */
public final class AuditLog {
  private final Pool pool;

  public AuditLog(Pool pool) {
    this.pool = pool;
  }

  /** One audit entry. */
  public record Entry(long id, String tenantCode, UUID actorId, String actorKind, String action,
                      String targetType, String targetId, JsonObject detail, OffsetDateTime at) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("tenantCode", tenantCode)
          .put("actorId", actorId == null ? null : actorId.toString()).put("actorKind", actorKind)
          .put("action", action).put("targetType", targetType).put("targetId", targetId)
          .put("detail", detail).put("at", at.toString());
    }
  }

  /** Writes an entry with the given client, so it commits or rolls back with the change itself. */
  public static Future<Void> record(SqlClient tx, String tenantCode, UUID staffId, String action,
                                    String targetType, String targetId, JsonObject detail) {
    return tx.preparedQuery("INSERT INTO audit_log (tenant_code, actor_id, actor_kind, action, target_type, target_id, detail) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .execute(Tuple.of(tenantCode, staffId, staffId == null ? "system" : "staff", action, targetType, targetId,
            detail == null ? new JsonObject() : detail))
        .mapEmpty();
  }

  public Future<List<Entry>> list(String tenantCode, int limit, long beforeId) {
    return pool.preparedQuery("SELECT * FROM audit_log WHERE tenant_code = $1 AND id < $2 ORDER BY id DESC LIMIT $3")
        .execute(Tuple.of(tenantCode, beforeId, limit))
        .map(rows -> {
          List<Entry> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new Entry(r.getLong("id"), r.getString("tenant_code"), r.getUUID("actor_id"),
                r.getString("actor_kind"), r.getString("action"), r.getString("target_type"),
                r.getString("target_id"), (JsonObject) r.getValue("detail"), r.getOffsetDateTime("at")));
          }
          return out;
        });
  }

  public static JsonArray toJson(List<Entry> entries) {
    JsonArray out = new JsonArray();
    entries.forEach(e -> out.add(e.toJson()));
    return out;
  }
}

package jp.tsunagu.platform.health;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.function.BooleanSupplier;

/** Liveness (the process answers) and readiness (PostgreSQL answers and migrations are applied). */
public final class HealthHandlers {
  private final Pool pool;
  private final BooleanSupplier migrated;

  public HealthHandlers(Pool pool, BooleanSupplier migrated) {
    this.pool = pool;
    this.migrated = migrated;
  }

  public void getLiveness(RoutingContext ctx) {
    ctx.json(new JsonObject().put("status", "UP"));
  }

  public void getReadiness(RoutingContext ctx) {
    boolean schema = migrated.getAsBoolean();
    pool.query("SELECT 1").execute()
        .timeout(2, java.util.concurrent.TimeUnit.SECONDS)
        .onComplete(ar -> {
          boolean db = ar.succeeded();
          boolean up = db && schema;
          ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("status", up ? "UP" : "DOWN")
                  .put("checks", new JsonObject().put("postgresql", db ? "UP" : "DOWN")
                      .put("migrations", schema ? "UP" : "DOWN")).encode());
        });
  }
}

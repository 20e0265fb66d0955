package jp.tsunagu.platform.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.function.Supplier;

/** Small helpers shared by the HTTP adapters: reading validated input and writing JSON. */
public final class Api {
  private Api() {}

  public static ValidatedRequest validated(RoutingContext ctx) {
    return ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }

  public static JsonObject body(RoutingContext ctx) {
    RequestParameter body = validated(ctx).getBody();
    return body == null || body.isNull() ? new JsonObject() : body.getJsonObject();
  }

  /** A path parameter: validated by the contract, or checked by {@link CsvOrJson} for CSV bodies. */
  public static String path(RoutingContext ctx, String name) {
    ValidatedRequest validated = validated(ctx);
    return validated == null ? ctx.pathParam(name) : validated.getPathParameters().get(name).getString();
  }

  public static RequestParameter query(RoutingContext ctx, String name) {
    return validated(ctx).getQuery().get(name);
  }

  /** Runs a step that may also throw synchronously, so both kinds of failure reach the failure handler. */
  public static <T> Future<T> attempt(Supplier<Future<T>> step) {
    try {
      return step.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Ends the exchange with the future's JSON result, or hands its failure to the failure handler. */
  public static void respond(RoutingContext ctx, int status, Future<?> result) {
    result.onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      Object value = ar.result();
      SessionFlush.flush(ctx).onComplete(stored -> {
        if (stored.failed()) {
          ctx.fail(stored.cause());
        } else if (status == 204 || value == null) {
          ctx.response().setStatusCode(status).end();
        } else {
          ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
              .end(value instanceof JsonObject j ? j.encode() : io.vertx.core.json.Json.encode(value));
        }
      });
    });
  }

  public static String clientAddress(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }
}

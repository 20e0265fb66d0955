package jp.tsunagu.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Loads the OpenAPI document for the request router. The published document stays exactly as
 * written; the router's copy leaves out the media types its validator does not know
 * ({@code application/problem+json} responses, {@code text/csv}, PDF and image request bodies),
 * whose handlers check those bodies themselves, and the OpenID endpoints (tag {@code openid}),
 * which answer in their RFCs' formats.
 */
public final class Contract {
  public static final String RESOURCE = "openapi.yaml";

  private Contract() {}

  public static Future<OpenAPIContract> load(Vertx vertx) {
    return vertx.fileSystem().readFile(RESOURCE)
        .compose(buffer -> vertx.executeBlocking(() -> {
          Map<String, Object> raw = new Yaml(new SafeConstructor(new LoaderOptions())).load(buffer.toString());
          return routable(new JsonObject(raw));
        }, false))
        .compose(json -> OpenAPIContract.from(vertx, json));
  }

  static JsonObject routable(JsonObject document) {
    JsonObject copy = document.copy();
    JsonObject paths = copy.getJsonObject("paths", new JsonObject());
    // The OpenID endpoints (tag openid) follow their RFCs and are routed by the provider itself.
    paths.fieldNames().removeIf(path -> openid(paths.getJsonObject(path)));
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!(item.getValue(method) instanceof JsonObject operation) || "parameters".equals(method)) {
          continue;
        }
        JsonObject body = operation.getJsonObject("requestBody");
        if (body != null) {
          body.getJsonObject("content").fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
          if (body.getJsonObject("content").isEmpty()) {
            operation.remove("requestBody");
          }
        }
        JsonObject responses = operation.getJsonObject("responses", new JsonObject());
        for (String code : responses.fieldNames()) {
          JsonObject response = responses.getJsonObject(code);
          JsonObject content = response.getJsonObject("content");
          if (content != null) {
            content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
          }
        }
      }
    }
    // Shared responses are referenced from operations; drop their unsupported media types too.
    JsonObject shared = copy.getJsonObject("components", new JsonObject()).getJsonObject("responses", new JsonObject());
    for (String name : shared.fieldNames()) {
      JsonObject content = shared.getJsonObject(name).getJsonObject("content");
      if (content != null) {
        content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
      }
    }
    return copy;
  }

  private static boolean openid(JsonObject item) {
    for (String method : item.fieldNames()) {
      if (item.getValue(method) instanceof JsonObject op && op.getJsonArray("tags") != null
          && op.getJsonArray("tags").contains("openid")) {
        return true;
      }
    }
    return false;
  }
}

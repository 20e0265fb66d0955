package jp.tsunagu.platform.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The JSON API over HTTP with a cookie session, as the platform's own pages and apps use it; raw, so bad requests can be sent. */
public final class JsonApi {
  private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
  private final String base;

  public JsonApi(String base) {
    this.base = base;
  }

  public static JsonApi staff(TestPlatform node, String email) throws Exception {
    JsonApi api = new JsonApi(node.baseUrl());
    assertEquals(200, api.send("POST", "/api/v1/staff/session",
        new JsonObject().put("email", email).put("password", Fixtures.PASSWORD)).statusCode());
    return api;
  }

  public static JsonApi citizen(TestPlatform node, String email) throws Exception {
    JsonApi api = new JsonApi(node.baseUrl());
    assertEquals(200, api.send("POST", "/api/v1/session",
        new JsonObject().put("email", email).put("password", Fixtures.PASSWORD)).statusCode());
    return api;
  }

  public HttpResponse<String> send(String method, String path, JsonObject body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A 200 answer's JSON. */
  public JsonObject json(String method, String path, JsonObject body) throws Exception {
    HttpResponse<String> r = send(method, path, body);
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  /** Asserts an RFC 9457 answer with the status and, if given, a problem type ending in {@code typeSuffix}. */
  public static JsonObject problem(HttpResponse<String> r, int status, String typeSuffix) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
    JsonObject body = new JsonObject(r.body());
    if (typeSuffix != null) {
      assertTrue(body.getString("type").endsWith(typeSuffix), r.body());
    }
    return body;
  }
}

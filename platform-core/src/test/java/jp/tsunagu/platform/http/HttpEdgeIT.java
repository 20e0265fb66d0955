package jp.tsunagu.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import jp.tsunagu.api.client.HealthApi;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP edge: health, metrics, the contract, security headers and every kind of bad request. */
class HttpEdgeIT {
  static TestPlatform node;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    node = TestPlatform.start(Map.of("http.maxBodyBytes", "4096"));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder at(String path) {
    return HttpRequest.newBuilder(URI.create(node.baseUrl() + path));
  }

  static void assertProblem(HttpResponse<String> r, int status, String type) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"), r.headers().toString());
    assertTrue(r.body().contains("\"type\":\"/problems/" + type + "\""), r.body());
    assertTrue(r.body().contains("\"status\":" + status), r.body());
  }

  @Test
  void healthMetricsAndContractAreServed() throws Exception {
    assertEquals("UP", new HealthApi(node.client()).getLiveness().getStatus().getValue());
    assertEquals("UP", new HealthApi(node.client()).getReadiness().getStatus().getValue());
    HttpResponse<String> metrics = send(at("/metrics"));
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("vertx_http_server_requests_total") || metrics.body().contains("vertx_http_server"), "vert.x HTTP metrics");
    assertTrue(metrics.body().contains("jvm_memory_used_bytes"));
    HttpResponse<String> contract = send(at("/openapi.yaml"));
    assertEquals(200, contract.statusCode());
    assertTrue(contract.body().startsWith("openapi: 3.1.0"));
    assertEquals(200, send(at("/api-docs")).statusCode());
  }

  @Test
  void securityHeadersAreOnEveryResponse() throws Exception {
    HttpResponse<String> r = send(at("/health/live"));
    assertEquals("DENY", r.headers().firstValue("x-frame-options").orElse(""));
    assertTrue(r.headers().firstValue("content-security-policy").orElse("").contains("frame-ancestors 'none'"));
    assertEquals("nosniff", r.headers().firstValue("x-content-type-options").orElse(""));
    assertEquals("no-referrer", r.headers().firstValue("referrer-policy").orElse(""));
  }

  @Test
  void badRequestsGetProblemDetails() throws Exception {
    String json = "application/json";
    assertProblem(send(at("/api/v1/accounts").header("Content-Type", json).POST(HttpRequest.BodyPublishers.ofString("{\"email\":"))),
        400, "invalid-request");
    assertProblem(send(at("/api/v1/accounts").header("Content-Type", json)
        .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"a@b.jp\",\"password\":\"x\",\"displayName\":\"x\",\"admin\":true}"))),
        400, "invalid-request");
    assertProblem(send(at("/api/v1/accounts").header("Content-Type", json).POST(HttpRequest.BodyPublishers.ofString("{}"))),
        400, "invalid-request");
    HttpResponse<String> wrongType = send(at("/api/v1/accounts").header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("hello")));
    assertTrue(wrongType.statusCode() == 400 || wrongType.statusCode() == 415, wrongType.body());
    assertTrue(wrongType.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"));
    assertProblem(send(at("/api/v1/accounts").header("Content-Type", json)
        .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + "a".repeat(8000) + "\"}"))), 413, "body-too-large");
    assertProblem(send(at("/api/v1/no-such-thing")), 404, "not-found");
    assertProblem(send(at("/api/v1/tenants/999999")), 404, "not-found");
    assertProblem(send(at("/api/v1/tenants/abc")), 400, "invalid-request");
    assertProblem(send(at("/api/v1/me")), 401, "unauthenticated");
    assertProblem(send(at("/api/v1/tenants/222097/resident-records").header("Content-Type", "text/csv")
        .POST(HttpRequest.BodyPublishers.ofString("a,b\n"))), 401, "unauthenticated");
    assertProblem(send(at("/api/v1/tenants/2220x7/resident-records").header("Content-Type", "text/csv")
        .POST(HttpRequest.BodyPublishers.ofString("a,b\n"))), 400, "invalid-request");
  }

  @Test
  void anotherMethodOnAKnownPathIs405WithAllowAndHeadIsGetWithoutContent() throws Exception {
    HttpResponse<String> delete = send(at("/api/v1/search?q=a").DELETE());
    assertProblem(delete, 405, "method-not-allowed");
    assertEquals("GET, HEAD", delete.headers().firstValue("Allow").orElse(""));
    // a path with a parameter: the methods of its template
    HttpResponse<String> tenant = send(at("/api/v1/tenants/222097").DELETE());
    assertProblem(tenant, 405, "method-not-allowed");
    assertEquals("GET, HEAD, PUT", tenant.headers().firstValue("Allow").orElse(""));
    assertProblem(send(at("/api/v1/no-such-thing").DELETE()), 404, "not-found");
    HttpResponse<String> get = send(at("/health/live"));
    HttpResponse<String> head = send(at("/health/live").method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
    assertEquals(get.headers().firstValue("Content-Type"), head.headers().firstValue("Content-Type"));
    assertProblem(send(at("/health/live").POST(HttpRequest.BodyPublishers.noBody())), 405, "method-not-allowed");
  }

  @Test
  void eachPathReachesItsOwnRoutesHoweverItIsSpelt() throws Exception {
    // the API and the rest are routed apart: a path goes where the router, after normalising it, says it belongs
    assertProblem(send(at("/api")), 404, "not-found");
    assertProblem(send(at("/x/../api/v1/me")), 401, "unauthenticated");
    assertProblem(send(at("/%61pi/v1/me")), 401, "unauthenticated");
    assertEquals("UP", new io.vertx.core.json.JsonObject(send(at("/static/../health/live")).body()).getString("status"));
    HttpResponse<String> discovery = send(at("/api/../.well-known/openid-configuration"));
    assertEquals(200, discovery.statusCode(), discovery.body());
    assertTrue(discovery.body().contains("\"token_endpoint\""), discovery.body());
    HttpResponse<String> notApi = send(at("/apiary"));
    assertEquals(404, notApi.statusCode());
    assertTrue(notApi.headers().firstValue("content-type").orElse("").startsWith("text/html"), "the error page, not a problem");
    HttpResponse<String> page = send(at("/sign-in"));
    assertEquals(200, page.statusCode());
    assertEquals("DENY", page.headers().firstValue("x-frame-options").orElse(""));
  }

  @Test
  void crossSiteRequestsThatChangeDataAreRefused() throws Exception {
    assertProblem(send(at("/api/v1/session").header("Content-Type", "application/json").header("Origin", "https://evil.example")
        .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"a@b.jp\",\"password\":\"x\"}"))), 403, "cross-site-request");
    HttpResponse<String> sameSite = send(at("/api/v1/session").header("Content-Type", "application/json")
        .header("Origin", node.baseUrl()).POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"a@b.jp\",\"password\":\"xxxxxxxxxx\"}")));
    assertEquals(401, sameSite.statusCode());
  }

  @Test
  void shutdownFinishesInFlightRequests() throws Exception {
    TestPlatform other = TestPlatform.start();
    new Fixtures(other).verifiedCitizen("inflight@example.jp");
    // A request whose body is still arriving is in flight: send its headers and half its body,
    // stop the node, wait until it takes no new connections, then send the rest.
    byte[] body = ("{\"email\":\"inflight@example.jp\",\"password\":\"" + Fixtures.PASSWORD + "\"}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", other.port())) {
      var out = socket.getOutputStream();
      out.write(("POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Expect: 100-continue\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.write(body, 0, 10);
      out.flush();
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
      assertEquals("HTTP/1.1 100 Continue", in.readLine(), "the server has read the request head");
      in.readLine();
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(other::close);
      awaitRefusingConnections(other.baseUrl());
      out.write(body, 10, body.length - 10);
      out.flush();
      String status = in.readLine();
      while (status != null && (status.isEmpty() || status.equals("HTTP/1.1 100 Continue"))) {
        status = in.readLine();
      }
      assertEquals("HTTP/1.1 200 OK", status);
      stopping.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** Waits until a new connection is refused: the server has begun its graceful shutdown. */
  private static void awaitRefusingConnections(String baseUrl) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try (java.net.Socket s = new java.net.Socket()) {
        s.connect(new java.net.InetSocketAddress("127.0.0.1", URI.create(baseUrl).getPort()), 200);
      } catch (java.io.IOException refused) {
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
    }
    throw new AssertionError("the server kept accepting connections");
  }
}

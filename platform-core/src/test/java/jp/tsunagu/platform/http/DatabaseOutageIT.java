package jp.tsunagu.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.platform.db.Database;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.Test;

/**
 * A database that stops answering (a network partition, a frozen server): requests that need it
 * are answered 503 with Retry-After within the configured waits, the API as problem details and
 * the token endpoint in the OAuth format, and all is well again once it answers. The node reaches
 * PostgreSQL through a TCP relay on loopback that can stop passing bytes, as a partition would.
 */
class DatabaseOutageIT {

  /** Passes bytes between the node and PostgreSQL until held; then leaves them in the kernel's buffers. */
  static final class Relay implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final NetServer server;
    final List<NetSocket> sockets = new CopyOnWriteArrayList<>();

    Relay(Database target) throws Exception {
      server = vertx.createNetServer().connectHandler(in -> {
        in.pause();
        vertx.createNetClient().connect(target.port(), target.host()).onSuccess(out -> {
          sockets.add(in);
          sockets.add(out);
          in.handler(out::write);
          out.handler(in::write);
          in.closeHandler(v -> out.close());
          out.closeHandler(v -> in.close());
          if (held) {
            out.pause();
          } else {
            in.resume();
          }
        }).onFailure(e -> {
          System.err.println("relay: no connection to PostgreSQL: " + e);
          in.close();
        });
      }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    int port() {
      return server.actualPort();
    }

    volatile boolean held;

    /** Stops passing bytes on every connection, and on those made from now on. */
    void hold() {
      held = true;
      sockets.forEach(NetSocket::pause);
    }

    void release() {
      held = false;
      sockets.forEach(NetSocket::resume);
    }

    @Override
    public void close() throws Exception {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void requestsThatNeedTheDatabaseAre503WhileItIsSilentAndRecover() throws Exception {
    TestPlatform.Cluster cluster = new TestPlatform.Cluster();
    Database db = cluster.database();
    try (Relay relay = new Relay(db)) {
      TestPlatform node = TestPlatform.start(cluster, Map.of(
          "db.url", "postgresql://" + db.user() + "@127.0.0.1:" + relay.port() + "/" + db.database(),
          "db.waitSeconds", "2", "http.requestTimeoutSeconds", "4"));
      try {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertEquals(401, signIn(http, node).statusCode(), "an unknown account, with the database answering");
        assertEquals(401, token(http, node).statusCode(), "an unknown client, with the database answering");

        relay.hold();
        long start = System.nanoTime();
        HttpResponse<String> api = signIn(http, node);
        long apiMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(503, api.statusCode(), api.body());
        assertTrue(api.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals("/problems/unavailable", new JsonObject(api.body()).getString("type"));
        assertEquals("5", api.headers().firstValue("Retry-After").orElse(""));
        assertTrue(apiMillis < 8_000, "answered after " + apiMillis + " ms");

        HttpResponse<String> oauth = token(http, node);
        assertEquals(503, oauth.statusCode(), oauth.body());
        assertEquals("temporarily_unavailable", new JsonObject(oauth.body()).getString("error"));
        assertEquals("5", oauth.headers().firstValue("Retry-After").orElse(""));
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/health/ready"))
            .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, ready.statusCode(), ready.body());

        relay.release();
        assertEquals(401, signIn(http, node).statusCode(), "answered again once the database is");
        assertEquals(401, token(http, node).statusCode());
      } finally {
        relay.release();
        node.close();
      }
    }
  }

  static HttpResponse<String> signIn(HttpClient http, TestPlatform node) throws Exception {
    String body = new JsonObject().put("email", "nobody-" + UUID.randomUUID() + "@example.jp").put("password", "not the password")
        .encode();
    return http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/session")).timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> token(HttpClient http, TestPlatform node) throws Exception {
    String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode("nobody-" + UUID.randomUUID(), StandardCharsets.UTF_8)
        + "&client_secret=x";
    return http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/oauth2/token")).timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

package jp.tsunagu.platform.notify;

import static jp.tsunagu.platform.profile.DeliveryTesting.problem;
import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.api.client.DeliveryApi;
import jp.tsunagu.api.model.Channel;
import jp.tsunagu.api.model.CreateWebhookRequest;
import jp.tsunagu.api.model.InterestProfileInput;
import jp.tsunagu.api.model.PageWrite;
import jp.tsunagu.api.model.WebhookCreated;
import jp.tsunagu.platform.content.ContentTesting;
import jp.tsunagu.platform.profile.DeliveryTesting;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.Poll;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signed webhooks to a loopback receiver that checks each signature and timestamp itself: a good
 * relay gets each notice once; a flaky one gets it after retries under one idempotency key; slow
 * and unreachable ones time out, are recorded as failed after the last attempt, and then trip
 * their circuit breaker, while the good relay is served at once; a relay that is gone is disabled.
 */
class WebhookDeliveryIT {
  static final String SHIMADA = Fixtures.SHIMADA;
  static final Duration SOON = Duration.ofSeconds(20);
  static final long WINDOW_SECONDS = 300;
  static Vertx receiverVertx;
  static HttpServer receiver;
  static TestPlatform node;
  static ContentApi editor;
  static final Map<String, byte[]> secrets = new ConcurrentHashMap<>();
  static final Map<String, List<JsonObject>> received = new ConcurrentHashMap<>();
  static final AtomicInteger refusedSignatures = new AtomicInteger();
  static final AtomicInteger flakyCalls = new AtomicInteger();
  static final int closedPort = TestPlatform.freePort();

  @BeforeAll
  static void start() throws Exception {
    receiverVertx = Vertx.vertx();
    receiver = await(receiverVertx.createHttpServer().requestHandler(WebhookDeliveryIT::receive).listen(0, "127.0.0.1"));
    node = TestPlatform.start(Map.of("notify.senderPollMillis", "100", "notify.webhookTimeoutMillis", "500",
        "notify.webhookRetryBaseMillis", "100", "notify.webhookMaxAttempts", "3", "notify.webhookBreakerFailures", "3",
        "notify.webhookBreakerOpenSeconds", "600"));
    new Fixtures(node).tenantWithStaff(SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    editor = new ContentApi(ContentTesting.staff(node, "editor@shimada.example"));
    ContentTesting.taxonomy(editor, SHIMADA);
  }

  @AfterAll
  static void stop() {
    node.close();
    await(receiverVertx.close());
  }

  /** The relay: checks the signature over the raw body and the timestamp, then answers as its path says. */
  static void receive(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      String path = request.path();
      byte[] secret = secrets.get(path);
      String timestamp = request.getHeader("Tsunagu-Timestamp");
      String expected = secret == null || timestamp == null ? null : "v1=" + hmac(secret, timestamp + "." + body.toString(StandardCharsets.UTF_8));
      boolean fresh = timestamp != null && Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) <= WINDOW_SECONDS;
      if (expected == null || !fresh || !MessageDigest.isEqual(expected.getBytes(), String.valueOf(request.getHeader("Tsunagu-Signature")).getBytes())) {
        refusedSignatures.incrementAndGet();
        request.response().setStatusCode(401).end();
        return;
      }
      received.computeIfAbsent(path, k -> new CopyOnWriteArrayList<>())
          .add(new JsonObject(body).put("idempotencyKey", request.getHeader("Idempotency-Key")));
      switch (path) {
        case "/relay/flaky" -> request.response().setStatusCode(flakyCalls.incrementAndGet() <= 2 ? 503 : 200).end();
        case "/relay/slow" -> receiverVertx.setTimer(2000, t -> request.response().setStatusCode(200).end());
        case "/relay/gone" -> request.response().setStatusCode(410).end();
        default -> request.response().setStatusCode(204).end();
      }
    });
  }

  static String hmac(byte[] secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A citizen following waste collection, whose notices go to the given relay URL. */
  static DeliveryApi relayed(String name, String url) throws Exception {
    DeliveryApi me = new DeliveryApi(DeliveryTesting.citizen(node, name + "@example.jp"));
    me.saveMyProfile(new InterestProfileInput().tenantCode(SHIMADA).interests(List.of("gomi")).channels(List.of(Channel.WEBHOOK)));
    WebhookCreated created = me.createWebhook(new CreateWebhookRequest().url(url));
    assertEquals(url, created.getUrl());
    secrets.put(java.net.URI.create(url).getPath(), Base64.getUrlDecoder().decode(created.getSecret()));
    assertEquals(1, me.listMyWebhooks().getItems().size());
    return me;
  }

  static Row delivery(String name, long changeId) {
    return await(node.platform().services().pool().preparedQuery("SELECT d.attempts, d.sent_at, d.failed_at, d.last_error "
            + "FROM delivery d JOIN account a ON a.id = d.account_id JOIN notice o ON o.id = d.notice_id "
            + "WHERE a.email = $1 AND o.change_id = $2 AND d.channel = 'webhook'").execute(Tuple.of(name + "@example.jp", changeId)))
        .iterator().next();
  }

  @Test
  void relaysGetSignedDeliveriesOnceAndFailingOnesAreRetriedRecordedAndCutOff() throws Exception {
    String base = "http://127.0.0.1:" + receiver.actualPort();
    relayed("good", base + "/relay/good");
    relayed("flaky", base + "/relay/flaky");
    relayed("slow", base + "/relay/slow");
    relayed("gone", base + "/relay/gone");
    relayed("down", "http://127.0.0.1:" + closedPort + "/relay/down");
    // the receiver cannot know this one's secret: its deliveries are refused as unsigned
    PageWrite first = editor.upsertPage(SHIMADA, ContentTesting.page("https://www.city.shimada.shizuoka.jp/gomi/a.html",
        "年末年始のごみ収集", "<p>年末年始の収集日です。</p>", "gomi"));

    Poll.until(SOON, "the good relay got it", () -> received.getOrDefault("/relay/good", List.of()).size() == 1);
    JsonObject good = received.get("/relay/good").get(0);
    assertEquals("年末年始のごみ収集", good.getJsonObject("notification").getString("title"));
    assertEquals(good.getString("id"), good.getString("idempotencyKey"));
    Poll.until(SOON, "recorded as sent", () -> delivery("good", first.getChangeId()).getOffsetDateTime("sent_at") != null);
    assertEquals(0, refusedSignatures.get(), "every signature and timestamp checked out");

    Poll.until(SOON, "the flaky relay got it on the third attempt", () -> delivery("flaky", first.getChangeId()).getOffsetDateTime("sent_at") != null);
    assertEquals(3, delivery("flaky", first.getChangeId()).getInteger("attempts"));
    List<JsonObject> flaky = received.get("/relay/flaky");
    assertEquals(3, flaky.size());
    assertEquals(1, flaky.stream().map(j -> j.getString("idempotencyKey")).distinct().count(), "one idempotency key for every attempt");

    Poll.until(SOON, "the slow relay is recorded as failed", () -> delivery("slow", first.getChangeId()).getOffsetDateTime("failed_at") != null);
    Row slow = delivery("slow", first.getChangeId());
    assertEquals(3, slow.getInteger("attempts"));
    assertTrue(slow.getString("last_error").toLowerCase().contains("timeout"), slow.getString("last_error"));
    Poll.until(SOON, "the unreachable relay is recorded as failed", () -> delivery("down", first.getChangeId()).getOffsetDateTime("failed_at") != null);
    assertEquals(3, delivery("down", first.getChangeId()).getInteger("attempts"));

    Poll.until(SOON, "the gone relay is failed and disabled", () -> delivery("gone", first.getChangeId()).getOffsetDateTime("failed_at") != null);
    assertEquals(1, delivery("gone", first.getChangeId()).getInteger("attempts"), "410 is not retried");
    long stats = await(node.platform().services().pool().preparedQuery("SELECT sent * 100 + failed FROM notice_stats s JOIN notice o "
        + "ON o.id = s.notice_id WHERE o.change_id = $1 AND s.channel = 'webhook'").execute(Tuple.of(first.getChangeId())))
        .iterator().next().getLong(0);
    assertEquals(2 * 100 + 3, stats, "2 sent, 3 failed");

    // the breakers of the slow and unreachable relays are open now: their next notices wait, unspent
    PageWrite second = editor.upsertPage(SHIMADA, ContentTesting.page("https://www.city.shimada.shizuoka.jp/gomi/b.html",
        "資源ごみの回収", "<p>資源ごみの回収日です。</p>", "gomi"));
    Poll.until(SOON, "the good relay got the second", () -> received.get("/relay/good").size() == 2);
    int slowCalls = received.get("/relay/slow").size();
    Poll.until(SOON, "the unreachable relay's next delivery waits for its breaker",
        () -> "circuit open".equals(delivery("down", second.getChangeId()).getString("last_error")));
    Poll.until(SOON, "the slow relay's next delivery waits for its breaker",
        () -> "circuit open".equals(delivery("slow", second.getChangeId()).getString("last_error")));
    Row waiting = delivery("slow", second.getChangeId());
    assertEquals(0, waiting.getInteger("attempts"));
    assertNull(waiting.getOffsetDateTime("failed_at"), "nothing lost: it stays queued");
    assertEquals(slowCalls, received.get("/relay/slow").size(), "no request went to the open breaker");
    assertEquals(0, new DeliveryApi(DeliveryTesting.signedIn(node, "gone@example.jp")).listMyWebhooks().getItems().size());
    assertFalse(received.containsKey("/relay/down"));
  }

  @Test
  void malformedEndpointsAreRefused() throws Exception {
    DeliveryApi me = new DeliveryApi(DeliveryTesting.citizen(node, "careless@example.jp"));
    problem(400, "invalid-webhook-url", () -> me.createWebhook(new CreateWebhookRequest().url("http://relay.example.jp/hook")));
    problem(400, "invalid-webhook-url", () -> me.createWebhook(new CreateWebhookRequest().url("ftp://relay.example.jp/hook")));
    problem(400, "invalid-webhook-url", () -> me.createWebhook(new CreateWebhookRequest().url("not a url at all")));
    problem(400, "invalid-webhook-url", () -> me.createWebhook(new CreateWebhookRequest().url("https://user:pw@relay.example.jp/")));
    problem(400, "invalid-request", () -> me.createWebhook(new CreateWebhookRequest().url("https:")));
    assertEquals(0, me.listMyWebhooks().getItems().size());
    WebhookCreated ok = me.createWebhook(new CreateWebhookRequest().url("https://relay.example.jp/hook"));
    me.deleteWebhook(ok.getId());
    me.deleteWebhook(ok.getId());
    assertEquals(0, me.listMyWebhooks().getItems().size());
  }
}

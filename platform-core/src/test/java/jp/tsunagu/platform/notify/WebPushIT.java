package jp.tsunagu.platform.notify;

import static jp.tsunagu.platform.profile.DeliveryTesting.problem;
import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.api.client.DeliveryApi;
import jp.tsunagu.api.model.Channel;
import jp.tsunagu.api.model.CreatePushSubscriptionRequest;
import jp.tsunagu.api.model.CreatePushSubscriptionRequestKeys;
import jp.tsunagu.api.model.InterestProfileInput;
import jp.tsunagu.api.model.PageWrite;
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
 * Web Push to a local push-service peer that does what a real one does with the request: checks
 * the VAPID token (ES256 over the audience of its own origin, by the key in {@code k=}) and hands
 * the body to the "browser", which decrypts it with its own private key and secret (RFC 8291,
 * written out here independently of the platform's code).
 */
class WebPushIT {
  static final String SHIMADA = Fixtures.SHIMADA;
  static final Duration SOON = Duration.ofSeconds(15);
  static Vertx peerVertx;
  static HttpServer pushService;
  static TestPlatform node;
  static ContentApi editor;
  static KeyPair browser;
  static final byte[] auth = new byte[16];
  static final List<String> plaintexts = new CopyOnWriteArrayList<>();
  static final List<String> refusals = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    browser = g.generateKeyPair();
    new SecureRandom().nextBytes(auth);
    peerVertx = Vertx.vertx();
    pushService = await(peerVertx.createHttpServer().requestHandler(WebPushIT::push).listen(0, "127.0.0.1"));
    node = TestPlatform.start(Map.of("notify.senderPollMillis", "100", "notify.vapidSubject", "mailto:ops@city.example.jp"));
    new Fixtures(node).tenantWithStaff(SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    editor = new ContentApi(ContentTesting.staff(node, "editor@shimada.example"));
    ContentTesting.taxonomy(editor, SHIMADA);
  }

  @AfterAll
  static void stop() {
    node.close();
    await(peerVertx.close());
  }

  static void push(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      try {
        if (request.path().equals("/push/gone")) {
          request.response().setStatusCode(410).end();
          return;
        }
        String authorization = request.getHeader("Authorization");
        String token = authorization.replaceAll("^vapid t=([^,]+), k=(.+)$", "$1");
        String k = authorization.replaceAll("^vapid t=([^,]+), k=(.+)$", "$2");
        SignedJWT jwt = SignedJWT.parse(token);
        String origin = "http://127.0.0.1:" + pushService.actualPort();
        if (!jwt.verify(new ECDSAVerifier(point(Base64.getUrlDecoder().decode(k))))
            || !jwt.getJWTClaimsSet().getAudience().equals(List.of(origin))
            || jwt.getJWTClaimsSet().getExpirationTime().getTime() < System.currentTimeMillis()
            || !"mailto:ops@city.example.jp".equals(jwt.getJWTClaimsSet().getSubject())
            || !"aes128gcm".equals(request.getHeader("Content-Encoding")) || request.getHeader("TTL") == null) {
          refusals.add(authorization);
          request.response().setStatusCode(403).end();
          return;
        }
        plaintexts.add(decrypt(body.getBytes()));
        request.response().setStatusCode(201).end();
      } catch (Exception e) {
        refusals.add(e.toString());
        request.response().setStatusCode(400).end();
      }
    });
  }

  /** What the browser does with a push message (RFC 8291 §3.4, RFC 8188), with this test's browser key. */
  static String decrypt(byte[] message) throws Exception {
    assertEquals(4096, ByteBuffer.wrap(message, 16, 4).getInt(), "record size");
    byte[] s = ((java.security.interfaces.ECPrivateKey) browser.getPrivate()).getS().toByteArray();
    byte[] d = new byte[32];
    System.arraycopy(s, Math.max(0, s.length - 32), d, Math.max(0, 32 - s.length), Math.min(32, s.length));
    return jp.tsunagu.platform.testing.PushDecryption.decrypt(message, d, uncompressed((ECPublicKey) browser.getPublic()), auth);
  }

  static ECPublicKey point(byte[] p) throws Exception {
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
    return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(
        new BigInteger(1, Arrays.copyOfRange(p, 1, 33)), new BigInteger(1, Arrays.copyOfRange(p, 33, 65))), spec));
  }

  static byte[] uncompressed(ECPublicKey key) {
    byte[] out = new byte[65];
    out[0] = 4;
    byte[] x = key.getW().getAffineX().toByteArray();
    byte[] y = key.getW().getAffineY().toByteArray();
    System.arraycopy(x, Math.max(0, x.length - 32), out, 1 + 32 - Math.min(32, x.length), Math.min(32, x.length));
    System.arraycopy(y, Math.max(0, y.length - 32), out, 33 + 32 - Math.min(32, y.length), Math.min(32, y.length));
    return out;
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static CreatePushSubscriptionRequest subscription(String endpoint, String p256dh, String authSecret) {
    return new CreatePushSubscriptionRequest().endpoint(endpoint)
        .keys(new CreatePushSubscriptionRequestKeys().p256dh(p256dh).auth(authSecret));
  }

  @Test
  void aNoticeReachesTheBrowserEncryptedAndSignedAndAGoneSubscriptionEnds() throws Exception {
    DeliveryApi me = new DeliveryApi(DeliveryTesting.citizen(node, "push@example.jp"));
    me.saveMyProfile(new InterestProfileInput().tenantCode(SHIMADA).interests(List.of("gomi")).channels(List.of(Channel.WEBPUSH)));
    String base = "http://127.0.0.1:" + pushService.actualPort();
    String key = b64(uncompressed((ECPublicKey) browser.getPublic()));
    me.createPushSubscription(subscription(base + "/push/ok", key, b64(auth)));
    me.createPushSubscription(subscription(base + "/push/gone", key, b64(auth)));
    assertEquals(2, me.listMyPushSubscriptions().getItems().size());
    assertEquals(65, Base64.getUrlDecoder().decode(new DeliveryApi(node.client()).getWebPushKey().getApplicationServerKey()).length);

    PageWrite w = editor.upsertPage(SHIMADA, ContentTesting.page("https://www.city.shimada.shizuoka.jp/gomi/push.html",
        "台風接近に伴うごみ収集の中止", "<p>明日のごみ収集は中止です。</p>", "gomi"));
    Poll.until(SOON, "the browser decrypted a notice", () -> !plaintexts.isEmpty());
    assertEquals(List.of(), refusals, "the push service accepted every request");
    JsonObject notice = new JsonObject(plaintexts.get(0));
    assertEquals("台風接近に伴うごみ収集の中止", notice.getString("title"));
    assertEquals("https://www.city.shimada.shizuoka.jp/gomi/push.html", notice.getString("url"));
    Poll.until(SOON, "the delivery is recorded as sent", () -> await(node.platform().services().pool().preparedQuery(
            "SELECT s.sent FROM notice_stats s JOIN notice o ON o.id = s.notice_id WHERE o.change_id = $1 AND s.channel = 'webpush'")
        .execute(Tuple.of(w.getChangeId()))).iterator().next().getInteger(0) == 1);
    assertEquals(List.of(base + "/push/ok"), me.listMyPushSubscriptions().getItems().stream().map(s -> s.getEndpoint()).toList(),
        "the subscription the push service no longer knows is ended");
  }

  @Test
  void malformedPushSubscriptionsAreRefused() throws Exception {
    DeliveryApi me = new DeliveryApi(DeliveryTesting.citizen(node, "malformed@example.jp"));
    String key = b64(uncompressed((ECPublicKey) browser.getPublic()));
    byte[] offCurve = new byte[65];
    offCurve[0] = 4;
    offCurve[64] = 7;
    problem(400, "invalid-push-subscription", () -> me.createPushSubscription(subscription("https://push.example/x", b64(offCurve), b64(auth))));
    problem(400, "invalid-push-subscription", () -> me.createPushSubscription(subscription("https://push.example/x", key, b64(new byte[10]))));
    problem(400, "invalid-push-subscription", () -> me.createPushSubscription(subscription("https://push.example/x", "*not base64*", b64(auth))));
    problem(400, "invalid-push-subscription", () -> me.createPushSubscription(subscription("http://push.example/x", key, b64(auth))));
    problem(400, "invalid-push-subscription", () -> me.createPushSubscription(subscription("https://push.example/x", b64(new byte[33]), b64(auth))));
    assertEquals(0, me.listMyPushSubscriptions().getItems().size());
    assertTrue(me.createPushSubscription(subscription("https://push.example/x", key, b64(auth))).getId() != null);
  }
}

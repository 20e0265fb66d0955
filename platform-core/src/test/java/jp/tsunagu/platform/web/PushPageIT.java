package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.platform.content.ContentTesting;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.Poll;
import jp.tsunagu.platform.testing.PushDecryption;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser side of Web Push in Chromium: the service worker is registered from the site root
 * with the whole site as its scope; the control on the interests page subscribes this browser with
 * the platform's VAPID key and hands the subscription to the platform; a notice then goes, encrypted,
 * to the push endpoint; the service worker shows what such a message carries; unsubscribing takes
 * the subscription back.
 *
 * <p>Two stand-ins, because headless Chromium here has no connection to a browser vendor's push
 * service: {@code PushManager.subscribe} is replaced in the page by one that makes a real P-256 key
 * pair and authentication secret with WebCrypto and names a local push peer as the endpoint (so
 * the platform gets a well-formed subscription and the peer decrypts with the browser's key); and
 * the service worker's push and click handlers are run from its own script in the page against
 * its real registration (see {@link #HANDLERS}), because Chromium delivers a DevTools push only to
 * a registration with a vendor subscription and cannot click a notification headless.
 */
class PushPageIT {
  static final Duration SOON = Duration.ofSeconds(15);
  static TestPlatform node;
  static ContentApi editor;
  static Vertx peerVertx;
  static HttpServer peer;
  static final List<Buffer> pushed = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    peerVertx = Vertx.vertx();
    peer = await(peerVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      if ("aes128gcm".equals(request.getHeader("Content-Encoding")) && request.getHeader("Authorization") != null) {
        pushed.add(body);
        request.response().setStatusCode(201).end();
      } else {
        request.response().setStatusCode(400).end();
      }
    })).listen(0, "127.0.0.1"));
    node = TestPlatform.start(Map.of("notify.senderPollMillis", "100"));
    Fixtures fixtures = new Fixtures(node);
    fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    editor = new ContentApi(ContentTesting.staff(node, "editor@shimada.example"));
    ContentTesting.taxonomy(editor, Fixtures.SHIMADA);
    fixtures.verifiedCitizen("push@example.jp");
  }

  @AfterAll
  static void stop() {
    node.close();
    await(peerVertx.close());
  }

  @Test
  void theServiceWorkerIsServedFromTheRootAsJavaScript() throws Exception {
    HttpResponse<String> sw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/push-sw.js")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, sw.statusCode());
    assertTrue(sw.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
    assertEquals("/", sw.headers().firstValue("Service-Worker-Allowed").orElse(""));
    assertEquals("no-store", sw.headers().firstValue("Cache-Control").orElse(""), "a new version is picked up at once");
    assertTrue(sw.body().contains("addEventListener('push'"));
  }

  @Test
  void aBrowserSubscribesGetsANoticeByPushAndUnsubscribes() throws Exception {
    String endpoint = "http://127.0.0.1:" + peer.actualPort() + "/push/this-browser";
    try (PageDriver page = new PageDriver(node.baseUrl())) {
      page.open("/sign-in");
      page.type("#email", "push@example.jp");
      page.type("#password", Fixtures.PASSWORD);
      page.submit("form[action='/sign-in'] button[type=submit]");
      page.open("/interests?tenant=" + Fixtures.SHIMADA);
      page.find("input[name=interest][value=kosodate]").click();
      page.find("input[name=channel][value=webpush]").click();
      page.submit("#profile-form button[type=submit]");
      assertEquals("関心の設定を保存しました。", page.notice());

      WebDriverWait wait = new WebDriverWait(page.driver, SOON);
      wait.withMessage(() -> "the control shows: " + page.driver.findElement(By.id("push-state")).getText() + " ("
          + page.driver.findElement(By.id("push-control")).getDomAttribute("data-error") + ")");
      wait.until(d -> "off".equals(d.findElement(By.id("push-control")).getDomAttribute("data-state")));
      assertEquals("この端末には通知が届きません。", page.text("#push-state"));
      Object registration = page.driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
          + "navigator.serviceWorker.ready.then(function (r) { done(r.scope + ' ' + r.active.scriptURL); });");
      assertEquals(node.baseUrl() + "/ " + node.baseUrl() + "/push-sw.js", registration);

      page.driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", node.baseUrl(), "permissions", List.of("notifications")));
      page.driver.executeScript(STAND_IN_SUBSCRIBE, endpoint);
      page.find("#push-subscribe").click();
      wait.until(d -> "on".equals(d.findElement(By.id("push-control")).getDomAttribute("data-state")));
      assertTrue(page.text("#push-state").startsWith("この端末に通知が届きます。"));
      @SuppressWarnings("unchecked")
      Map<String, Object> browser = (Map<String, Object>) page.driver.executeScript("return window.__push;");
      assertEquals(true, browser.get("userVisibleOnly"));
      String vapidKey = new JsonObject(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.baseUrl()
          + "/api/v1/webpush/key")).build(), HttpResponse.BodyHandlers.ofString()).body()).getString("applicationServerKey");
      assertEquals(vapidKey, browser.get("applicationServerKey"), "subscribed with the platform's VAPID key");
      Row stored = await(node.platform().services().pool().query("SELECT endpoint, p256dh, auth, disabled_at FROM push_subscription")
          .execute()).iterator().next();
      assertEquals(endpoint, stored.getString("endpoint"));
      byte[] uaPublic = stored.getBuffer("p256dh").getBytes();
      assertEquals(browser.get("p256dh"), b64(uaPublic), "the browser's public key, as the platform keeps it");
      byte[] auth = stored.getBuffer("auth").getBytes();

      // a matching page goes to the push endpoint, encrypted to the browser's key
      editor.upsertPage(Fixtures.SHIMADA, ContentTesting.page("https://www.city.shimada.shizuoka.jp/kosodate/push.html",
          "予防接種のお知らせ", "<p>予防接種のご案内です。</p>", "kosodate"));
      Poll.until(SOON, "the push peer has the notice", () -> !pushed.isEmpty());
      String plaintext = PushDecryption.decrypt(pushed.get(0).getBytes(), Base64.getUrlDecoder().decode((String) browser.get("d")),
          uaPublic, auth);
      JsonObject notice = new JsonObject(plaintext);
      assertEquals("予防接種のお知らせ", notice.getString("title"));

      // the service worker's handlers with that message: the push handler shows the notification (for real,
      // through the registration), the click handler reports the opening and opens the notice
      Object shown = page.driver.executeAsyncScript(HANDLERS + "var message = arguments[0];"
          + "run('push', {data: {json: function () { return JSON.parse(message); }},"
          + " waitUntil: wait}).then(function () { done(calls); }, function (e) { done('failed: ' + e); });", plaintext);
      assertEquals(List.of(), shown, "nothing opened or fetched by a push");
      assertEquals(List.of("予防接種のお知らせ notice-" + notice.getLong("id") + " " + notice.getString("url")), notifications(page));
      Object clicked = page.driver.executeAsyncScript(HANDLERS + "navigator.serviceWorker.ready.then(function (r) {"
          + " return r.getNotifications(); }).then(function (ns) { return run('notificationclick', {notification: ns[0], waitUntil: wait}); })"
          + ".then(function () { done(calls); }, function (e) { done('failed: ' + e); });");
      assertTrue(clicked instanceof List, String.valueOf(clicked));
      assertEquals(java.util.Set.of("fetch POST /api/v1/me/notifications/" + notice.getLong("id") + "/opened {\"channel\":\"webpush\"} 204",
          "open " + notice.getString("url")), java.util.Set.copyOf((List<?>) clicked), "the receipt and the notice, in either order");
      // the same receipt again (a second click on a copy of the notification) counts nothing more
      Object again = page.driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
          + "fetch('/api/v1/me/notifications/' + arguments[0] + '/opened', {method: 'POST', credentials: 'same-origin',"
          + " headers: {'Content-Type': 'application/json'}, body: JSON.stringify({channel: 'webpush'})})"
          + ".then(function (r) { done(r.status); });", notice.getLong("id"));
      assertEquals(204L, again);
      assertEquals(1, opened(notice.getLong("id"), "webpush"), "a click-through counted once");
      assertEquals(1, opened(notice.getLong("id"), "inbox"), "and the notice is read in the inbox");
      assertTrue(notifications(page).isEmpty(), "a click closes the notification");

      page.find("#push-unsubscribe").click();
      wait.until(d -> "off".equals(d.findElement(By.id("push-control")).getDomAttribute("data-state")));
      assertNotNull(await(node.platform().services().pool().query("SELECT disabled_at FROM push_subscription").execute())
          .iterator().next().getOffsetDateTime(0), "the platform no longer pushes to it");
    }
  }

  /**
   * Runs the service worker's own script (/push-sw.js, loaded as a script of the page, under the
   * page's content security policy) with the page standing in for its global scope: the real
   * registration (so notifications are really shown), fetch through the page (the citizen's
   * session, as the worker's would be), and a record of {@code clients.openWindow}.
   * Chromium's DevTools push (ServiceWorker.deliverPushMessage) only reaches registrations with a
   * push subscription from the browser vendor's service, which headless Chromium here cannot have.
   */
  static final String HANDLERS = """
      var done = arguments[arguments.length - 1];
      var calls = [];
      var waits = [];
      function wait(p) { waits.push(p); }
      function load() {
        return new Promise(function (resolve, reject) {
          var listeners = {};
          var add = window.addEventListener;
          window.addEventListener = function (type, f) { listeners[type] = f; };
          var script = document.createElement('script');
          script.src = '/push-sw.js';
          script.onload = function () { window.addEventListener = add; resolve(listeners); };
          script.onerror = function () { window.addEventListener = add; reject(new Error('no script')); };
          document.head.appendChild(script);
        });
      }
      function run(type, event) {
        return Promise.all([load(), navigator.serviceWorker.ready]).then(function (both) {
          var pageFetch = window.fetch;
          window.registration = both[1];
          window.clients = {openWindow: function (url) { calls.push('open ' + url); return Promise.resolve(null); }};
          window.fetch = function (url, init) {
            return pageFetch(url, init).then(function (r) {
              calls.push('fetch ' + init.method + ' ' + url + ' ' + init.body + ' ' + r.status);
              return r;
            });
          };
          both[0][type](event);
          return Promise.all(waits).finally(function () { window.fetch = pageFetch; });
        });
      }
      """;

  /** Titles, tags and target URLs of the notifications the service worker shows. */
  @SuppressWarnings("unchecked")
  static List<String> notifications(PageDriver page) {
    return (List<String>) page.driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
        + "navigator.serviceWorker.ready.then(function (r) { return r.getNotifications(); })"
        + ".then(function (ns) { done(ns.map(function (n) { return n.title + ' ' + n.tag + ' ' + n.data.url; })); });");
  }

  static int opened(long notificationId, String channel) {
    return await(node.platform().services().pool().preparedQuery("SELECT s.opened FROM notice_stats s JOIN notification n "
            + "ON n.notice_id = s.notice_id WHERE n.id = $1 AND s.channel = $2").execute(io.vertx.sqlclient.Tuple.of(notificationId, channel)))
        .iterator().next().getInteger(0);
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Stands in for the browser vendor's push service in {@code PushManager}: a real key pair and
   * secret from WebCrypto, and the local push peer as the endpoint. Keeps the private key for the
   * test (window.__push.d) so the peer can decrypt as the browser would.
   */
  static final String STAND_IN_SUBSCRIBE = """
      var endpoint = arguments[0];
      function b64(bytes) {
        var s = '';
        for (var i = 0; i < bytes.length; i++) { s += String.fromCharCode(bytes[i]); }
        return btoa(s).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
      }
      var current = null;
      PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
      PushManager.prototype.subscribe = function (options) {
        return crypto.subtle.generateKey({name: 'ECDH', namedCurve: 'P-256'}, true, ['deriveBits']).then(function (pair) {
          return Promise.all([crypto.subtle.exportKey('raw', pair.publicKey), crypto.subtle.exportKey('jwk', pair.privateKey)]);
        }).then(function (keys) {
          var auth = crypto.getRandomValues(new Uint8Array(16));
          var p256dh = b64(new Uint8Array(keys[0]));
          window.__push = {userVisibleOnly: options.userVisibleOnly, applicationServerKey: b64(new Uint8Array(options.applicationServerKey)),
            p256dh: p256dh, d: keys[1].d};
          current = {
            endpoint: endpoint,
            toJSON: function () { return {endpoint: endpoint, expirationTime: null, keys: {p256dh: p256dh, auth: b64(auth)}}; },
            unsubscribe: function () { current = null; return Promise.resolve(true); }
          };
          return current;
        });
      };
      """;
}

package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CSRF tokens on every form post, framing refused on every page, and the page language. */
class PageSecurityIT {
  static TestPlatform node;
  static Fixtures fixtures;

  @BeforeAll
  static void start() {
    node = TestPlatform.start();
    fixtures = new Fixtures(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static HttpClient browserLike() {
    return HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
  }

  static HttpResponse<String> get(HttpClient http, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(HttpClient http, String path, String form) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String token(String html) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
    assertTrue(m.find(), "no CSRF field in the page");
    return m.group(1);
  }

  static String form(String... pairs) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      out.append(out.isEmpty() ? "" : "&").append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  @Test
  void aPostWithoutTheSessionsTokenIsRefused() throws Exception {
    Account citizen = fixtures.verifiedCitizen("csrf-" + System.nanoTime() + "@example.jp");
    HttpClient http = browserLike();
    String signInToken = token(get(http, "/sign-in").body());

    HttpResponse<String> missing = post(http, "/sign-in", form("email", citizen.email(), "password", Fixtures.PASSWORD));
    assertEquals(403, missing.statusCode());
    assertTrue(missing.body().contains("フォームの有効期限が切れた"), missing.body());

    // the session's token with its first character changed (always to a different one)
    String altered = (signInToken.charAt(0) == 'A' ? "B" : "A") + signInToken.substring(1);
    HttpResponse<String> forged = post(http, "/sign-in", form("csrf", altered, "email", citizen.email(),
        "password", Fixtures.PASSWORD));
    assertEquals(403, forged.statusCode());

    String otherSessionsToken = token(get(browserLike(), "/sign-in").body());
    assertEquals(403, post(http, "/sign-in", form("csrf", otherSessionsToken, "email", citizen.email(),
        "password", Fixtures.PASSWORD)).statusCode());

    HttpResponse<String> signedIn = post(http, "/sign-in", form("csrf", signInToken, "email", citizen.email(),
        "password", Fixtures.PASSWORD, "next", "/account"));
    assertEquals(303, signedIn.statusCode(), signedIn.body());
    assertEquals("/account", signedIn.headers().firstValue("Location").orElseThrow());

    // Signing in starts a new token: the one from before no longer changes anything.
    HttpResponse<String> stale = post(http, "/account/profile", form("csrf", signInToken, "displayName", "Mallory", "locale", "en"));
    assertEquals(403, stale.statusCode());
    String accountToken = token(get(http, "/account").body());
    assertFalse(accountToken.equals(signInToken));
    assertEquals(303, post(http, "/account/profile", form("csrf", accountToken, "displayName", "新しい 名前", "locale", "ja"))
        .statusCode());
    assertEquals("新しい 名前", await(node.platform().services().accounts().find(citizen.id())).orElseThrow().displayName());
  }

  @Test
  void theBrowserIsToldOffWhenTheFormLacksItsTokenAndCannotFrameAPage() {
    Account citizen = fixtures.verifiedCitizen("browser-" + System.nanoTime() + "@example.jp");
    try (PageDriver page = new PageDriver(node.baseUrl())) {
      page.open("/sign-in");
      page.driver.executeScript("document.querySelector('input[name=csrf]').remove()");
      page.type("#email", citizen.email());
      page.type("#password", Fixtures.PASSWORD);
      page.submit("form.card button[type=submit]");
      assertTrue(page.text("h1").contains("403"), page.text("h1"));
      assertTrue(page.error().contains("フォームの有効期限が切れた"), page.error());

      // Another site frames the sign-in page: the browser refuses to show it.
      page.driver.get("data:text/html,<iframe id=f src='" + node.baseUrl() + "/sign-in'></iframe>");
      page.driver.switchTo().frame("f");
      new org.openqa.selenium.support.ui.WebDriverWait(page.driver, java.time.Duration.ofSeconds(20)).until(d -> {
        String url = String.valueOf(page.driver.executeScript("return document.URL"));
        return url.startsWith("chrome-error:") || url.contains("/sign-in");
      });
      assertTrue(page.driver.findElements(org.openqa.selenium.By.id("email")).isEmpty(), "the framed page must not render");
      page.driver.switchTo().defaultContent();
    }
  }

  @Test
  void theCsrfKeyIsKeptInTheDatabaseForEveryNode() {
    // the pages store the key as they start, without holding the start-up for it
    jp.tsunagu.platform.testing.Poll.until(java.time.Duration.ofSeconds(10), "the CSRF key is stored", () -> await(node.platform()
        .services().pool().preparedQuery("SELECT 1 FROM platform_secret WHERE name = $1")
        .execute(io.vertx.sqlclient.Tuple.of(Csrf.SECRET_NAME))).size() == 1);
    var rows = await(node.platform().services().pool().preparedQuery("SELECT length(value) FROM platform_secret WHERE name = $1")
        .execute(io.vertx.sqlclient.Tuple.of(Csrf.SECRET_NAME)));
    assertEquals(1, rows.size());
    assertEquals(32, rows.iterator().next().getInteger(0));
  }

  @Test
  void aStaffPostWithoutTokenIsRefusedToo() throws Exception {
    HttpClient http = browserLike();
    get(http, "/staff/sign-in");
    assertEquals(403, post(http, "/staff/sign-in", form("email", "x@example.jp", "password", "whatever")).statusCode());
    assertEquals(403, post(http, "/staff/tenants", form("code", "131016")).statusCode());
  }

  @Test
  void headAnswersAsGetWithoutTheBody() throws Exception {
    // the JDK's client asks to upgrade to HTTP/2 (h2c); the node answers in HTTP/1.1
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("/", "/sign-in", "/.well-known/openid-configuration", "/oauth2/jwks", "/static/site.css")) {
      HttpResponse<String> get = get(http, path);
      HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, get.statusCode(), path);
      assertEquals(200, head.statusCode(), path);
      assertEquals("", head.body(), path);
      for (String header : List.of("Content-Type", "Cache-Control", "X-Frame-Options")) {
        assertEquals(get.headers().firstValue(header), head.headers().firstValue(header), path + " " + header);
      }
    }
    // a POST-only route stays POST-only
    HttpResponse<String> tokenHead = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/oauth2/token"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(get(http, "/oauth2/token").statusCode(), tokenHead.statusCode());
  }

  @Test
  void pagesCannotBeFramedAndCarryAStrictPolicy() throws Exception {
    HttpClient http = browserLike();
    for (String path : List.of("/", "/sign-in", "/sign-up", "/verify-email?token=x", "/reset-password?token=x",
        "/forgot-password", "/staff/sign-in", "/dev/outbox")) {
      HttpResponse<String> page = get(http, path);
      assertEquals(200, page.statusCode(), path);
      assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""), path);
      String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(csp.contains("frame-ancestors 'none'"), path + ": " + csp);
      assertFalse(csp.contains("unsafe-inline"), path + ": " + csp);
      assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""), path);
      assertFalse(page.body().contains("<script>") || page.body().contains("style="), path + " has inline script or style");
    }
  }

  @Test
  void openingAMailedLinkDoesNotUseItsToken() throws Exception {
    Account a = await(node.platform().services().accounts().signUp("scan-" + System.nanoTime() + "@example.jp",
        Fixtures.PASSWORD, "Scan", "ja"));
    String token = Fixtures.tokenIn(fixtures.lastMailTo(a.email()));
    HttpClient scanner = browserLike();
    assertEquals(200, get(scanner, "/verify-email?token=" + token).statusCode());
    assertEquals(200, get(scanner, "/verify-email?token=" + token).statusCode());
    assertFalse(await(node.platform().services().accounts().find(a.id())).orElseThrow().emailVerified());

    HttpClient person = browserLike();
    String csrf = token(get(person, "/verify-email?token=" + token).body());
    assertEquals(303, post(person, "/verify-email", form("csrf", csrf, "token", token)).statusCode());
    assertTrue(await(node.platform().services().accounts().find(a.id())).orElseThrow().emailVerified());
    HttpResponse<String> again = post(person, "/verify-email", form("csrf", csrf, "token", token));
    assertEquals(410, again.statusCode());
    assertTrue(again.body().contains("無効か、使用済みか"), again.body());
  }

  @Test
  void theLanguageFollowsAcceptLanguageUntilChosen() throws Exception {
    HttpClient http = browserLike();
    assertTrue(get(http, "/sign-in", "Accept-Language", "en-GB,en;q=0.8").body().contains("<html lang=\"en\">"));
    assertTrue(get(http, "/sign-in", "Accept-Language", "ja").body().contains("<html lang=\"ja\">"));
    assertTrue(get(http, "/sign-in", "Accept-Language", "fr").body().contains("<html lang=\"ja\">"));
    HttpResponse<String> toggled = get(http, "/lang/en?next=" + URLEncoder.encode("/sign-up", StandardCharsets.UTF_8));
    assertEquals(303, toggled.statusCode());
    assertEquals("/sign-up", toggled.headers().firstValue("Location").orElseThrow());
    assertTrue(get(http, "/sign-in", "Accept-Language", "ja").body().contains("<html lang=\"en\">"));
    assertEquals("/", get(http, "/lang/ja?next=" + URLEncoder.encode("//evil.example/", StandardCharsets.UTF_8))
        .headers().firstValue("Location").orElseThrow(), "no open redirect");
  }
}

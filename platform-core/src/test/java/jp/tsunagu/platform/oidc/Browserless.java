package jp.tsunagu.platform.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser without a screen: a cookie jar and the sign-in and consent forms of the provider, filled
 * in over HTTP exactly as a browser would post them (CSRF token included). Redirects are followed by
 * hand so the test sees where the provider sends the browser.
 */
final class Browserless {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  final CookieManager jar = new CookieManager();
  private final HttpClient http = HttpClient.newBuilder().cookieHandler(jar).followRedirects(HttpClient.Redirect.NEVER).build();
  private String base;

  Browserless(String base) {
    this.base = base;
  }

  /** Points the browser at another node (behind the same load balancer, sharing the cookie jar). */
  void useNode(String otherBase) {
    this.base = otherBase;
  }

  HttpResponse<String> get(String uri) throws Exception {
    return http.send(HttpRequest.newBuilder(resolve(uri)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String uri, Map<String, String> form) throws Exception {
    return http.send(HttpRequest.newBuilder(resolve(uri)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Follows redirects on the provider until the browser leaves it (or a page is shown). */
  HttpResponse<String> follow(HttpResponse<String> response) throws Exception {
    HttpResponse<String> r = response;
    while (r.statusCode() == 303 || r.statusCode() == 302) {
      String location = r.headers().firstValue("Location").orElseThrow();
      URI next = r.uri().resolve(location);
      if (!next.toString().startsWith(base)) {
        return r;
      }
      r = get(next.toString());
    }
    return r;
  }

  /** Starts at the authorization URL; returns the page or the redirect out of the provider. */
  HttpResponse<String> authorize(URI request) throws Exception {
    return follow(get(request.toString()));
  }

  /** On a sign-in page: fills in and sends the form. */
  HttpResponse<String> signIn(HttpResponse<String> page, String email, String password) throws Exception {
    String action = action(page, "/sign-in");
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf", csrf(page));
    form.put("email", email);
    form.put("password", password);
    return follow(post(action, form));
  }

  /** On a consent page: agrees (with every item ticked) or declines. */
  HttpResponse<String> consent(HttpResponse<String> page, boolean approve, String... items) throws Exception {
    String action = action(page, "/consent");
    StringBuilder body = new StringBuilder("csrf=" + enc(csrf(page)) + "&decision=" + (approve ? "approve" : "deny"));
    for (String item : items) {
      body.append("&item=").append(enc(item));
    }
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(resolve(action)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    return follow(r);
  }

  /** Where the provider sent the browser (the relying party's redirect URI with its parameters). */
  static URI location(HttpResponse<String> r) {
    assertEquals(303, r.statusCode(), () -> "expected a redirect, got " + r.statusCode() + ":\n" + r.body());
    return r.uri().resolve(r.headers().firstValue("Location").orElseThrow());
  }

  static String csrf(HttpResponse<String> page) {
    Matcher m = CSRF.matcher(page.body());
    if (!m.find()) {
      throw new AssertionError("no CSRF token on " + page.uri() + ":\n" + page.body());
    }
    return m.group(1);
  }

  /** The address of the flow a page belongs to ({@code /authorize/<id>}), from its forms. */
  static String flowPath(HttpResponse<String> page) {
    Matcher m = Pattern.compile("action=\"(/authorize/[0-9a-f-]+)/").matcher(page.body());
    if (!m.find()) {
      throw new AssertionError("no flow form on " + page.uri() + ":\n" + page.body());
    }
    return m.group(1);
  }

  private static String action(HttpResponse<String> page, String suffix) {
    Matcher m = Pattern.compile("action=\"(/authorize/[0-9a-f-]+" + Pattern.quote(suffix) + ")\"").matcher(page.body());
    if (!m.find()) {
      throw new AssertionError("no " + suffix + " form on " + page.uri() + " (" + page.statusCode() + "):\n" + page.body());
    }
    return m.group(1);
  }

  private URI resolve(String uri) {
    return uri.startsWith("http") ? URI.create(uri) : URI.create(base + uri);
  }

  static String encode(Map<String, String> form) {
    StringBuilder out = new StringBuilder();
    form.forEach((k, v) -> out.append(out.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v)));
    return out.toString();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

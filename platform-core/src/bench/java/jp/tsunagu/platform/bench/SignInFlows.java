package jp.tsunagu.platform.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Complete sign-ins as a relying party and a browser make them: GET the authorization endpoint
 * (PKCE S256, state, nonce), follow to the sign-in page, post its form (CSRF token, e-mail,
 * password), follow to the redirect with the code (past the consent page when it is shown), and
 * exchange the code at the token endpoint. Each flow starts with an empty cookie jar, so every one
 * is a new sign-in with a password check. {@code threads} flows run at once, each thread cycling
 * through the citizens. Browsers speak HTTP/1.1 (none upgrades a cleartext connection to HTTP/2), through
 * {@link PlainHttp}: blocking sockets cost the shared cores far less than a full HTTP client would.
 */
final class SignInFlows {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Pattern ACTION = Pattern.compile("action=\"(/authorize/[0-9a-f-]+/(sign-in|consent))\"");
  private static final Pattern ITEM = Pattern.compile("data-item=\"([^\"]+)\"");

  private final String base;
  private final String clientId;
  private final String basic;
  private final String redirect;
  private final String host;
  private final int port;

  SignInFlows(String base, String clientId, String basic, String redirect) {
    this.base = base;
    URI uri = URI.create(base);
    this.host = uri.getHost();
    this.port = uri.getPort();
    this.clientId = clientId;
    this.basic = basic;
    this.redirect = redirect;
  }

  /** The outcome of a timed run. */
  record Result(long flows, long failures, double seconds, List<Long> micros, double driverCpuSeconds) {
    double perSecond() {
      return flows / seconds;
    }

    String percentile(double p) {
      if (micros.isEmpty()) {
        return "?";
      }
      return String.format(java.util.Locale.ROOT, "%.1f ms", micros.get((int) Math.min(micros.size() - 1, micros.size() * p)) / 1000.0);
    }
  }

  /** Runs flows on {@code threads} threads for {@code seconds}, citizens taken in turn. */
  Result run(int threads, int seconds, List<String> emails, String password) throws Exception {
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong driverNanos = new AtomicLong();
    List<Long> micros = Collections.synchronizedList(new ArrayList<>());
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> running = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int first = t;
      running.add(Thread.ofPlatform().name("bench-flow-" + t).start(() -> {
        long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        try (Browser browser = new Browser()) {
        for (int i = first; System.nanoTime() < end; i += threads) {
          long t0 = System.nanoTime();
          try {
            browser.signIn(emails.get(i % emails.size()), password);
            done.incrementAndGet();
            micros.add((System.nanoTime() - t0) / 1000);
          } catch (Exception e) {
            if (failed.incrementAndGet() <= 3) {
              System.err.println("sign-in flow failed: " + e.getMessage());
            }
          }
        }
        }
        driverNanos.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0);
      }));
    }
    for (Thread t : running) {
      t.join();
    }
    double took = (System.nanoTime() - start) / 1e9;
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    return new Result(done.get(), failed.get(), took, sorted, driverNanos.get() / 1e9);
  }

  /**
   * One browser, whose cookies are forgotten before every flow, on its own keep-alive connection; the
   * relying party's back end exchanges the code on another connection, without the browser's cookies.
   */
  final class Browser implements AutoCloseable {
    private final PlainHttp http = new PlainHttp(host, port, true);
    private final PlainHttp rp = new PlainHttp(host, port, false);

    void signIn(String email, String password) throws Exception {
      http.clearCookies();
      String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
      String challenge = Base64.getUrlEncoder().withoutPadding()
          .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
      String state = Base64.getUrlEncoder().withoutPadding().encodeToString(random(12));
      PlainHttp.Response page = follow(http.get("/oauth2/authorize?response_type=code&client_id=" + enc(clientId)
          + "&redirect_uri=" + enc(redirect) + "&scope=" + enc("openid email") + "&state=" + state + "&nonce=n" + state
          + "&code_challenge=" + challenge + "&code_challenge_method=S256"));
      PlainHttp.Response after = follow(http.postForm(action(page, "sign-in"), "csrf=" + enc(csrf(page)) + "&email=" + enc(email)
          + "&password=" + enc(password), null));
      if (after.status() == 200 && after.body().contains("/consent\"")) {
        StringBuilder form = new StringBuilder("csrf=" + enc(csrf(after)) + "&decision=approve");
        Matcher items = ITEM.matcher(after.body());
        while (items.find()) {
          form.append("&item=").append(enc(items.group(1)));
        }
        after = follow(http.postForm(action(after, "consent"), form.toString(), null));
      }
      String location = after.header("Location") == null ? "" : after.header("Location");
      if (after.status() != 303 || !location.startsWith(redirect + "?")) {
        throw new IllegalStateException("expected the redirect with a code, got " + after.status() + " " + location);
      }
      Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
      if (!code.find() || !location.contains("state=" + state)) {
        throw new IllegalStateException("no code or wrong state in " + location);
      }
      PlainHttp.Response tokens = rp.postForm("/oauth2/token", "grant_type=authorization_code&code=" + code.group(1) + "&redirect_uri="
          + enc(redirect) + "&code_verifier=" + verifier, basic);
      if (tokens.status() != 200 || !tokens.body().contains("\"id_token\"")) {
        throw new IllegalStateException("token exchange failed: " + tokens.status() + " " + tokens.body());
      }
    }

    private PlainHttp.Response follow(PlainHttp.Response r) throws Exception {
      while (r.status() == 303 || r.status() == 302) {
        String location = r.header("Location");
        if (!location.startsWith("/")) {
          if (!location.startsWith(base)) {
            return r;
          }
          location = location.substring(base.length());
        }
        r = http.get(location);
      }
      return r;
    }

    @Override
    public void close() {
      http.close();
      rp.close();
    }
  }

  private static String csrf(PlainHttp.Response page) {
    Matcher m = CSRF.matcher(page.body());
    if (!m.find()) {
      throw new IllegalStateException("no CSRF token on the page (" + page.status() + ")");
    }
    return m.group(1);
  }

  private static String action(PlainHttp.Response page, String kind) {
    Matcher m = ACTION.matcher(page.body());
    while (m.find()) {
      if (m.group(2).equals(kind)) {
        return m.group(1);
      }
    }
    throw new IllegalStateException("no " + kind + " form on the page (" + page.status() + ")");
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new java.security.SecureRandom().nextBytes(b);
    return b;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

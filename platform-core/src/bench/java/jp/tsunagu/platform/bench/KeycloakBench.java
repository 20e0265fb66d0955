package jp.tsunagu.platform.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tsunagu.platform.Services;
import jp.tsunagu.platform.oidc.ClientService;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;

/**
 * Tsunagu's OpenID provider and Keycloak side by side on the same machine, the same PostgreSQL
 * server (embedded; one database each) and the same load driver (wrk, 2 threads, 64 connections,
 * identical Lua scripts). Keycloak is the server distribution {@code org.keycloak:keycloak-quarkus-dist}
 * unpacked by the {@code keycloak-bench} Maven profile into {@code target/keycloak}; it runs on
 * loopback with a local cache ({@code --cache=local}), its realm, client and users created through its
 * admin REST API. Both sides get their refresh tokens and codes from real sign-ins (a browser that
 * posts the login form, then asks for codes with its single-sign-on session), and the refresh runs
 * follow the rotation chain: each response's new refresh token is the one sent next. Writes the
 * "Keycloak side by side" section of docs/benchmarks.md.
 */
public final class KeycloakBench {
  private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
  private static final int CONNECTIONS = 64;
  private static final int CODES = Integer.getInteger("bench.codes", 24_000);
  private static final String REDIRECT = "https://bench.example/cb";
  private static final String PASSWORD = "bench password 2026";
  private static final Path HOME = Path.of(System.getProperty("bench.keycloakHome", "target/keycloak")).toAbsolutePath();

  private KeycloakBench() {}

  /** What one side offers to the load driver. */
  record Side(String name, String tokenUrl, String basic, Browser.Factory browsers, List<String> refreshTokens) {}

  /** Signs a browser in at one provider (the sign-in form, a password check); answers the code it ends with. */
  interface Login {
    String signIn(Browser browser) throws Exception;
  }

  private static final int WARM_SEEDS = CONNECTIONS;
  private static final int SEEDS = WARM_SEEDS + 3 * CONNECTIONS;

  public static void main(String[] args) throws Exception {
    Path kcHome;
    try (var dirs = Files.list(HOME)) {
      kcHome = dirs.filter(d -> d.getFileName().toString().startsWith("keycloak-")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no Keycloak under " + HOME + "; run with -Pbench,keycloak-bench"));
    }
    String loadBefore = load();
    StringBuilder report = new StringBuilder();
    TestPlatform.Cluster cluster = new TestPlatform.Cluster();
    int pgPort = cluster.database().port();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "postgres", "")) {
      c.createStatement().execute("CREATE DATABASE keycloak");
    }
    int port = TestPlatform.freePort();
    try (TestPlatform node = TestPlatform.start(cluster, Map.of("http.port", String.valueOf(port), "http.publicUrl",
        "http://127.0.0.1:" + port, "db.poolSize", "16", "oidc.clientAuthFailuresPer15Min", "1000000", "oidc.codeSeconds", "600",
        // Keycloak signs an ID token on every refresh with scope openid: the same work here
        "oidc.idTokenOnRefresh", "true", "security.argon2MemoryKib", "19456", "security.argon2Iterations", "2",
        "security.signInAttemptsPer15Min", "100000"));
         Keycloak kc = Keycloak.start(kcHome, pgPort)) {
      Side tsunagu = tsunaguSide(node);
      Side keycloak = kc.side();
      CpuMeter tsunaguMeter = new CpuMeter(ProcessHandle.current().pid(), pgPort, -1);
      CpuMeter keycloakMeter = new CpuMeter(ProcessHandle.current().pid(), pgPort, kc.pid());
      report.append(String.format(Locale.ROOT, "Keycloak %s was ready %.1f s after `kc.sh start` (the very first start also builds Keycloak's optimized "
          + "image for these options, about 40 s more); Tsunagu's node starts in about 2 s (see the foundation's start-up figures).%n%n",
          kc.version, kc.readySeconds));
      report.append("| grant | Tsunagu | Keycloak | ratio | Tsunagu p50 / p99 | Keycloak p50 / p99 | CPU per grant, Tsunagu: node / PostgreSQL "
          + "/ with wrk | CPU per grant, Keycloak: server / PostgreSQL / with wrk | non-2xx (T / K) |\n|---|---|---|---|---|---|---|---|---|\n");
      String cc = "grant_type=client_credentials";
      report.append(compare("client_credentials", tsunagu, tsunaguMeter, keycloak, keycloakMeter,
          (side, warmRate) -> OidcBench.script(null, cc)));
      report.append(compare("refresh_token (rotating; new ID token on both)", tsunagu, tsunaguMeter, keycloak, keycloakMeter,
          (side, warmRate) -> refreshChain(warmRate < 0 ? side.refreshTokens().subList(0, WARM_SEEDS)
              : side.refreshTokens().subList(WARM_SEEDS, SEEDS))));
      report.append(compare("authorization_code (exchange)", tsunagu, tsunaguMeter, keycloak, keycloakMeter,
          (side, warmRate) -> OidcBench.script(codes(side, warmRate < 0 ? 2000 : (int) Math.min(CODES, warmRate * SECONDS * 1.5 + 1000)),
              "redirect_uri=" + enc(REDIRECT) + "&grant_type=authorization_code&code=")));
      report.append('\n');
      report.append(kc.setupNote());
    }
    report.append(String.format(Locale.ROOT, "Load average (1, 5, 15 min) before: %s; after: %s.%n%n", loadBefore, load()));
    write(report.toString());
    System.out.println(report);
  }

  /** The wrk script of one run: {@code warmRate} is -1 for the warm-up, then the rate the warm-up reached. */
  interface Script {
    Path make(Side side, double warmRate) throws Exception;
  }

  /** Warm-up, then the measured run, on each side in turn. */
  static String compare(String label, Side t, CpuMeter tm, Side k, CpuMeter km, Script script) throws Exception {
    Run a = measure(t, tm, script);
    Run b = measure(k, km, script);
    return String.format(Locale.ROOT, "| %s | **%.0f/s** | **%.0f/s** | **%.1f×** | %s / %s | %s / %s | %s | %s | %d / %d |%n", label,
        a.wrk.requestsPerSecond, b.wrk.requestsPerSecond, a.wrk.requestsPerSecond / b.wrk.requestsPerSecond, a.wrk.p50, a.wrk.p99,
        b.wrk.p50, b.wrk.p99, a.cpu.perRequest(a.wrk.requestsPerSecond * a.cpu.seconds()),
        b.cpu.perRequest(b.wrk.requestsPerSecond * b.cpu.seconds()), a.wrk.errors, b.wrk.errors);
  }

  record Run(FoundationBench.Wrk wrk, CpuMeter.Reading cpu) {}

  static Run measure(Side side, CpuMeter meter, Script script) throws Exception {
    FoundationBench.Wrk warm = FoundationBench.Wrk.run("", 16, 5, "--timeout", "10s", "-s", script.make(side, -1).toString(),
        side.tokenUrl(), "--", "0", side.basic());
    Path s = script.make(side, warm.requestsPerSecond);
    CpuMeter.Reading before = meter.read();
    FoundationBench.Wrk w = FoundationBench.Wrk.run("", CONNECTIONS, SECONDS, "--timeout", "10s", "-s", s.toString(), side.tokenUrl(), "--",
        "0", side.basic());
    CpuMeter.Reading used = meter.read().minus(before);
    System.out.printf("%s: %.0f/s, p99 %s, non-2xx %d; cores: %s%n", side.name(), w.requestsPerSecond, w.p99, w.errors,
        used.cores(side.name()));
    return new Run(w, used);
  }

  /**
   * A wrk script that follows refresh-token rotation: each thread starts with its share of the seed tokens and
   * sends, each time, a token it got back from an earlier response.
   */
  static Path refreshChain(List<String> seeds) throws Exception {
    Path file = Files.createTempFile("kc-bench-seeds", ".txt");
    Files.write(file, seeds);
    Path lua = Files.createTempFile("kc-bench-refresh", ".lua");
    Files.writeString(lua, """
        local next_id = 0
        function setup(thread) thread:set("id", next_id); next_id = next_id + 1 end
        function init(args)
          wrk.method = "POST"
          wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
          wrk.headers["Authorization"] = args[2]
          tokens = {}
          local i = 0
          for line in io.lines("%s") do
            if i %% 2 == id then tokens[#tokens + 1] = line end
            i = i + 1
          end
        end
        function request()
          local t = table.remove(tokens) or "none"
          return wrk.format(nil, nil, nil, "grant_type=refresh_token&refresh_token=" .. t)
        end
        function response(status, headers, body)
          local t = body:match('"refresh_token":"([^"]+)"')
          if t then tokens[#tokens + 1] = t end
        end
        """.formatted(file));
    return lua;
  }

  static Side tsunaguSide(TestPlatform node) throws Exception {
    Services s = node.platform().services();
    Fixtures fixtures = new Fixtures(node);
    fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "bench-admin@shimada.example", jp.tsunagu.platform.staff.Role.TENANT_ADMIN);
    Fixtures.await(s.oidc().clients().register(Staff.SYSTEM, Fixtures.SHIMADA, "bench-rp-0001",
        new JsonObject().put("name", "bench").put("redirectUris", List.of(REDIRECT)).put("scopes", List.of("openid", "email", "api.read"))
            .put("grantTypes", List.of("authorization_code", "refresh_token", "client_credentials")), "bench-secret"));
    String basic = "Basic " + Base64.getEncoder().encodeToString("bench-rp-0001:bench-secret".getBytes(StandardCharsets.UTF_8));
    String email = fixtures.verifiedCitizen("bench-kc@example.jp").email();
    Browser.Factory browsers = new Browser.Factory(node.baseUrl() + "/oauth2/authorize", node.baseUrl() + "/oauth2/token", basic,
        "bench-rp-0001", b -> b.tsunaguSignIn(node.baseUrl(), email, Fixtures.PASSWORD));
    return new Side("tsunagu", node.baseUrl() + "/oauth2/token", basic, browsers, refreshTokens(browsers, SEEDS));
  }

  /** Refresh tokens of {@code n} separate sign-ins (each its own browser and session), 4 sign-ins at a time. */
  static List<String> refreshTokens(Browser.Factory browsers, int n) throws Exception {
    List<String> out = java.util.Collections.synchronizedList(new ArrayList<>());
    parallel(n, () -> {
      Browser b = browsers.create();
      out.add(b.exchange(b.signIn()));
    });
    return out;
  }

  /** {@code n} codes from 16 signed-in browsers, 4 asking at a time, written to a file for the load driver. */
  static Path codes(Side side, int n) throws Exception {
    List<Browser> browsers = java.util.Collections.synchronizedList(new ArrayList<>());
    parallel(16, () -> {
      Browser b = side.browsers().create();
      b.signIn();
      browsers.add(b);
    });
    List<String> out = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int first = t;
      threads.add(Thread.ofPlatform().start(() -> {
        int i = first;
        while (next.getAndIncrement() < n) {
          try {
            out.add(browsers.get(i).code());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          i = (i + 4) % browsers.size();
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    Path file = Files.createTempFile("kc-bench-codes", ".txt");
    Files.write(file, out);
    return file;
  }

  interface Job {
    void run() throws Exception;
  }

  /** Runs {@code n} jobs on 4 threads. */
  static void parallel(int n, Job job) throws Exception {
    java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(n);
    java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(Thread.ofPlatform().start(() -> {
        while (left.getAndDecrement() > 0 && failure.get() == null) {
          try {
            job.run();
          } catch (Exception e) {
            failure.compareAndSet(null, e);
          }
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /**
   * A browser with a single-sign-on session at one provider: asks for codes without signing in again,
   * and exchanges some of them for refresh tokens.
   */
  static final class Browser {
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new Jar()).followRedirects(HttpClient.Redirect.NEVER).build();
    private final String authorize;
    private final String token;
    private final String basic;
    private final String clientId;
    private final Login login;

    /** Makes browsers for one provider and client. */
    record Factory(String authorize, String token, String basic, String clientId, Login login) {
      Browser create() {
        return new Browser(authorize, token, basic, clientId, login);
      }
    }

    Browser(String authorize, String token, String basic, String clientId, Login login) {
      this.authorize = authorize;
      this.token = token;
      this.basic = basic;
      this.clientId = clientId;
      this.login = login;
    }

    /** Signs in with the password; answers the code the sign-in ends with. */
    String signIn() throws Exception {
      return login.signIn(this);
    }

    /** Exchanges a code; answers the refresh token. */
    String exchange(String code) throws Exception {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(token)).header("Authorization", basic)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + code + "&redirect_uri=" + enc(REDIRECT)))
          .build(), HttpResponse.BodyHandlers.ofString());
      String refresh = r.statusCode() == 200 ? new JsonObject(r.body()).getString("refresh_token") : null;
      if (refresh == null) {
        throw new IllegalStateException("code exchange failed: " + r.statusCode() + " " + r.body());
      }
      return refresh;
    }

    String authorizeUrl() {
      return authorize + "?response_type=code&client_id=" + enc(clientId) + "&redirect_uri=" + enc(REDIRECT) + "&scope="
          + enc("openid email") + "&state=s" + System.nanoTime() + "&nonce=n";
    }

    HttpResponse<String> get(String uri) throws Exception {
      return http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String uri, String form) throws Exception {
      return http.send(HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Follows redirects until one leaves for the relying party's redirect URI (or a page is shown). */
    HttpResponse<String> follow(HttpResponse<String> r) throws Exception {
      while (r.statusCode() == 302 || r.statusCode() == 303) {
        String next = r.uri().resolve(r.headers().firstValue("Location").orElseThrow()).toString();
        if (next.startsWith(REDIRECT)) {
          return r;
        }
        r = get(next);
      }
      return r;
    }

    String tsunaguSignIn(String base, String email, String password) throws Exception {
      HttpResponse<String> page = follow(get(authorizeUrl()));
      String action = match(page.body(), "action=\"(/authorize/[0-9a-f-]+/sign-in)\"");
      HttpResponse<String> after = follow(post(base + action, "csrf=" + enc(match(page.body(), "name=\"csrf\" value=\"([^\"]+)\""))
          + "&email=" + enc(email) + "&password=" + enc(password)));
      if (after.statusCode() == 200) { // the consent page, the first time
        StringBuilder form = new StringBuilder("csrf=" + enc(match(after.body(), "name=\"csrf\" value=\"([^\"]+)\"")) + "&decision=approve");
        Matcher items = Pattern.compile("data-item=\"([^\"]+)\"").matcher(after.body());
        while (items.find()) {
          form.append("&item=").append(enc(items.group(1)));
        }
        after = follow(post(base + match(after.body(), "action=\"(/authorize/[0-9a-f-]+/consent)\""), form.toString()));
      }
      return code(after);
    }

    String keycloakSignIn(String username, String password) throws Exception {
      HttpResponse<String> page = follow(get(authorizeUrl()));
      String action = match(page.body(), "id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"").replace("&amp;", "&");
      return code(follow(post(action, "username=" + enc(username) + "&password=" + enc(password) + "&credentialId=")));
    }

    /** One code from the single-sign-on session (no password asked). */
    String code() throws Exception {
      return code(follow(get(authorizeUrl())));
    }

    static String code(HttpResponse<String> r) {
      String location = r.headers().firstValue("Location").orElse("");
      Matcher m = Pattern.compile("[?&]code=([^&]+)").matcher(location);
      if ((r.statusCode() != 302 && r.statusCode() != 303) || !location.startsWith(REDIRECT) || !m.find()) {
        throw new IllegalStateException("expected a redirect with a code, got " + r.statusCode() + " " + location + "\n"
            + r.body().substring(0, Math.min(2000, r.body().length())));
      }
      return m.group(1);
    }

  }

  /**
   * A cookie jar for one host that keeps {@code Secure} cookies over plain HTTP on loopback, as browsers do for
   * 127.0.0.1 (a secure context); Keycloak marks its cookies Secure there, and {@code java.net.CookieManager} would drop them.
   */
  static final class Jar extends java.net.CookieHandler {
    private final Map<String, String> cookies = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) {
      if (cookies.isEmpty()) {
        return Map.of();
      }
      StringBuilder out = new StringBuilder();
      cookies.forEach((k, v) -> out.append(out.isEmpty() ? "" : "; ").append(k).append('=').append(v));
      return Map.of("Cookie", List.of(out.toString()));
    }

    @Override
    public void put(URI uri, Map<String, List<String>> headers) {
      headers.forEach((name, values) -> {
        if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
          for (String v : values) {
            String pair = v.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq <= 0) {
              continue;
            }
            String lower = v.toLowerCase(Locale.ROOT);
            String key = pair.substring(0, eq).trim();
            if (lower.contains("max-age=0") || lower.contains("expires=thu, 01 jan 1970") || pair.substring(eq + 1).isEmpty()) {
              cookies.remove(key);
            } else {
              cookies.put(key, pair.substring(eq + 1).trim());
            }
          }
        }
      });
    }
  }

  /** A Keycloak server process on loopback. */
  static final class Keycloak implements AutoCloseable {
    final Process process;
    final String base;
    final String version;
    final double readySeconds;
    final String adminPassword = "bench-" + java.util.UUID.randomUUID();
    final HttpClient http = HttpClient.newHttpClient();
    final Path log;
    String adminToken;

    private Keycloak(Process process, String base, String version, double readySeconds, Path log) {
      this.process = process;
      this.base = base;
      this.version = version;
      this.readySeconds = readySeconds;
      this.log = log;
    }

    long pid() {
      return process.pid();
    }

    static Keycloak start(Path home, int pgPort) throws Exception {
      int port = TestPlatform.freePort();
      int management = TestPlatform.freePort();
      String version = home.getFileName().toString().substring("keycloak-".length());
      Path log = home.resolveSibling("keycloak.log");
      List<String> cmd = List.of(home.resolve("bin/kc.sh").toString(), "start",
          "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + management,
          "--hostname-strict=false", "--health-enabled=true", "--cache=local",
          "--db=postgres", "--db-url=jdbc:postgresql://127.0.0.1:" + pgPort + "/keycloak", "--db-username=postgres", "--db-password=unused",
          "--db-pool-max-size=16",
          // the same password hash as Tsunagu: Argon2id, 19456 KiB, 2 passes, 1 lane
          "--spi-password-hashing-argon2-type=id", "--spi-password-hashing-argon2-memory=19456",
          "--spi-password-hashing-argon2-iterations=2", "--spi-password-hashing-argon2-parallelism=1");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      // what Keycloak's thread pool asks for on Java 24 and later
      pb.environment().put("JAVA_OPTS_APPEND", "--add-opens java.base/java.lang=ALL-UNNAMED");
      pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
      long t0 = System.nanoTime();
      Keycloak[] holder = new Keycloak[1];
      String password = "bench-" + java.util.UUID.randomUUID();
      pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", password);
      Process p = pb.start();
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroy)); // also when this driver is stopped
      String base = "http://127.0.0.1:" + port;
      HttpClient probe = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      while (System.nanoTime() < deadline && p.isAlive()) {
        try {
          if (probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/health/ready")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            holder[0] = new Keycloak(p, base, version, (System.nanoTime() - t0) / 1e9, log);
            break;
          }
        } catch (java.io.IOException notYet) {
          // still starting
        }
        TimeUnit.MILLISECONDS.sleep(500);
      }
      if (holder[0] == null) {
        p.destroy();
        throw new IllegalStateException("Keycloak did not become ready; see " + log + ":\n" + tail(log));
      }
      holder[0].adminToken = holder[0].token("admin", password);
      return holder[0];
    }

    String token(String user, String password) throws Exception {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/realms/master/protocol/openid-connect/token"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=" + enc(user) + "&password="
              + enc(password))).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("admin token: " + r.statusCode() + " " + r.body());
      }
      return new JsonObject(r.body()).getString("access_token");
    }

    void admin(String method, String path, JsonObject body) throws Exception {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/realms" + path))
          .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
      }
    }

    /** Realm, client and user through the admin REST API; then sign-in, codes and refresh tokens as for Tsunagu. */
    Side side() throws Exception {
      admin("POST", "", new JsonObject().put("realm", "bench").put("enabled", true).put("sslRequired", "none")
          // rotation with reuse detection, as Tsunagu does it
          .put("revokeRefreshToken", true).put("refreshTokenMaxReuse", 0)
          .put("accessTokenLifespan", 300).put("accessCodeLifespan", 600).put("ssoSessionIdleTimeout", 3600)
          .put("passwordPolicy", "hashAlgorithm(argon2) and hashIterations(2)")
          .put("bruteForceProtected", false));
      admin("POST", "/bench/clients", new JsonObject().put("clientId", "bench-rp").put("enabled", true).put("publicClient", false)
          .put("clientAuthenticatorType", "client-secret").put("secret", "bench-secret").put("standardFlowEnabled", true)
          .put("serviceAccountsEnabled", true).put("directAccessGrantsEnabled", false).put("redirectUris", new JsonArray().add(REDIRECT))
          .put("attributes", new JsonObject().put("pkce.code.challenge.method", "")));
      admin("POST", "/bench/users", new JsonObject().put("username", "citizen").put("email", "citizen@example.jp").put("emailVerified", true)
          .put("firstName", "Bench").put("lastName", "Citizen").put("enabled", true)
          .put("credentials", new JsonArray().add(new JsonObject().put("type", "password").put("value", PASSWORD).put("temporary", false))));
      String realm = base + "/realms/bench/protocol/openid-connect";
      String basic = "Basic " + Base64.getEncoder().encodeToString("bench-rp:bench-secret".getBytes(StandardCharsets.UTF_8));
      Browser.Factory browsers = new Browser.Factory(realm + "/auth", realm + "/token", basic, "bench-rp",
          b -> b.keycloakSignIn("citizen", PASSWORD));
      return new Side("keycloak", realm + "/token", basic, browsers, refreshTokens(browsers, SEEDS));
    }

    String setupNote() {
      return String.format(Locale.ROOT, "Keycloak %s (`org.keycloak:keycloak-quarkus-dist`, unpacked into `platform-core/target/keycloak` by "
          + "the `keycloak-bench` profile), `kc.sh start` on JDK %s with `--cache=local` (one node, no cluster), "
          + "`--db=postgres` against the same embedded PostgreSQL server as Tsunagu (database `keycloak`), a pool of 16 "
          + "connections (Tsunagu's too), HTTP on loopback. Realm, client and user made through the admin REST API: "
          + "confidential client with `client-secret` (Basic), refresh-token rotation on (`revokeRefreshToken`, reuse 0), codes "
          + "valid 600 s (Tsunagu: `oidc.codeSeconds` 600), the password hash set to Argon2id m=19456 KiB, t=2, p=1 "
          + "(`--spi-password-hashing-argon2-*` and the realm policy `hashAlgorithm(argon2) and hashIterations(2)`; Tsunagu's "
          + "production parameters). Both sides sign RS256 (Keycloak's default realm key, RSA-2048). Every refresh "
          + "chain starts from its own sign-in (a browser posts the login form, the code it gets is exchanged), so no two "
          + "chains share a session (Keycloak accepts only the newest refresh token of a client session); the refresh run "
          + "follows the rotation (each response's new token is the next one sent; three spare chains per connection). "
          + "Codes come from 16 signed-in browsers asking through their single-sign-on sessions, written before the run. "
          + "Differences that remain: Keycloak signs its refresh tokens too (HS512), and keeps user and client sessions "
          + "(persistent sessions in PostgreSQL, the default since Keycloak 25); Tsunagu's refresh tokens are random strings "
          + "stored as SHA-256 digests. Keycloak's own log: `platform-core/target/keycloak/keycloak.log`.%n%n",
          version, Runtime.version());
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (Exception e) {
      return "(no log)";
    }
  }

  private static String match(String body, String regex) {
    Matcher m = Pattern.compile(regex).matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("no match for " + regex + " in:\n" + body.substring(0, Math.min(3000, body.length())));
    }
    return m.group(1);
  }

  private static String load() throws Exception {
    return Files.readString(Path.of("/proc/loadavg")).trim().replaceAll("^(\\S+ \\S+ \\S+).*", "$1");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static void write(String section) throws Exception {
    Path doc = Path.of("..", "docs", "benchmarks.md");
    String body = "<!-- keycloak:start -->\n## Keycloak side by side (platform-core)\n\n"
        + FoundationBench.machine().replace("FoundationBench", "KeycloakBench").replace("`./tsunagu bench`",
            "`./mvnw -pl platform-core -am -Pbench,keycloak-bench -DskipTests verify`")
        + "\n" + section + "<!-- keycloak:end -->";
    String text = Files.readString(doc);
    int a = text.indexOf("<!-- keycloak:start -->");
    int b = text.indexOf("<!-- keycloak:end -->");
    text = a >= 0 && b > a ? text.substring(0, a) + body + text.substring(b + "<!-- keycloak:end -->".length()) : text + "\n" + body + "\n";
    Files.writeString(doc, text);
  }
}

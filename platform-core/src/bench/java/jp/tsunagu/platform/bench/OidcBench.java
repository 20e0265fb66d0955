package jp.tsunagu.platform.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.platform.Services;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.oidc.ClientService;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;

/**
 * Load driver for the OpenID provider's figures: refresh-token grants, authorization-code exchanges
 * and client-credentials grants per second at the token endpoint (wrk, 2 threads, 64 connections),
 * each again at about half of its peak for the latency there, and access-token verification per core
 * at a resource server (Nimbus {@code DefaultJWTProcessor} against the provider's JWKS). The node
 * runs in this JVM with its own embedded PostgreSQL; refresh tokens and codes to spend are written
 * beforehand in bulk (each is single-use). Writes the "OpenID provider" section of docs/benchmarks.md.
 */
public final class OidcBench {
  static final int SECONDS = Integer.getInteger("bench.seconds", 10);
  private static final int WARM_SECONDS = Integer.getInteger("bench.warmSeconds", 15);
  private static final int SPARE = Integer.getInteger("bench.tokens", 300_000);
  /** Peak runs per grant; the table shows the median one. */
  private static final int PEAKS = 3;
  /** Warm-up rounds of WARM_SECONDS at most, until the JIT compiler is quiet. */
  private static final int WARM_ROUNDS = 3;
  /** Single-use values are split: 36 % for the warm-up rounds, 15 % for each peak run, the rest for half of peak. */
  private static final int WARM_EACH = SPARE * 12 / 100;
  private static final int WARM = WARM_ROUNDS * WARM_EACH;
  private static final int PEAK_EACH = SPARE * 15 / 100;
  /** The JIT counts as quiet when it compiled for less than this share of one core during a warm-up round. */
  private static final double QUIET_JIT = 0.02;
  static final int CITIZENS = 16;
  static final int FLOW_THREADS = Integer.getInteger("bench.browsers", 8);
  static final String REDIRECT = "https://bench.example/cb";

  static final String NOTES = """
      What each grant costs: a refresh is one SQL statement (check the generation the token names against its grant's \
      row and move it on, an update in place) and one RSA-2048 signature (the access token; no new ID token on refresh unless \
      `oidc.idTokenOnRefresh`); a code exchange is one statement (spend the code, which locks its flow; insert the grant, \
      whose row carries its refresh-token family) and two signatures (access token and ID token); client credentials are one signature and no database write. \
      Signatures are native (Amazon Corretto Crypto Provider, about 0.26 ms of CPU per RSA-2048 signature here). The client \
      secret check is one SHA-256 of the presented secret against the stored digest (secrets are 256-bit random values, \
      so no slow hash), the client comes from the node's 30-second cache, and the client-authentication rate limit \
      reads no Hazelcast counter unless a failure was counted in its window (none here). Each refresh token to spend is the live token (generation 0) of its own grant, as in real use; codes are \
      flows written beforehand in bulk. Each grant is warmed up for 15 s (64 connections, its own tokens: shorter warm-ups left the JIT compiler \
      busy during the peak, a tenth of the cores), then runs at its peak three times for 10 s each; the table shows the \
      median run and the range of the three. The half-of-peak rows slow each of 16 connections with a fixed delay between requests (wrk has no \
      constant-rate mode), so their rate is only near half of the peak. "CPU per grant" is the CPU time of the node \
      (this JVM), of its PostgreSQL server's processes, and of both with wrk, divided by the grants of the peak run; \
      "WAL per grant" is the write-ahead log the server wrote during that run (`pg_current_wal_insert_lsn`, including full-page \
      images after a checkpoint and the node's background work), divided by its grants, and unlike the CPU time it does not \
      depend on the machine's load; "rest of the machine" is other people's work on the shared cores during the run.

      """;


  /** Every grant the bench measures; a run of fewer ({@code -Dbench.grants}) leaves docs/benchmarks.md as it is. */
  private static final java.util.Set<String> ALL_GRANTS = java.util.Set.of("refresh", "code", "cc", "dpop", "signin");
  private static final java.util.Set<String> ONLY =
      java.util.Set.of(System.getProperty("bench.grants", String.join(",", ALL_GRANTS)).split(","));
  private static CpuMeter meter;
  /** The node's database, for the WAL each grant writes. */
  private static io.vertx.sqlclient.Pool database;

  private OidcBench() {}

  /** With -Dbench.pgss: resets PostgreSQL's statement statistics, or prints the top statements by total time. */
  static void statements(io.vertx.sqlclient.Pool pool, boolean reset) {
    if (!Boolean.getBoolean("bench.pgss")) {
      return;
    }
    Fixtures.await(pool.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").execute());
    if (reset) {
      Fixtures.await(pool.query("SELECT pg_stat_statements_reset()").execute());
      return;
    }
    Fixtures.await(pool.query("SELECT calls, round(total_exec_time::numeric, 1) AS exec_ms, round(total_plan_time::numeric, 1) AS plan_ms, plans, rows, "
        + "shared_blks_hit, shared_blks_dirtied, wal_bytes, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS q FROM pg_stat_statements "
        + "ORDER BY total_exec_time + total_plan_time DESC LIMIT 25").execute()).forEach(r -> System.out.println("pgss " + r.toJson()));
  }

  public static void main(String[] args) throws Exception {
    int port = TestPlatform.freePort();
    String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
    StringBuilder report = new StringBuilder();
    TestPlatform.Cluster cluster = new TestPlatform.Cluster();
    try (TestPlatform node = TestPlatform.start(cluster, Map.of("http.port", String.valueOf(port), "http.publicUrl", "http://127.0.0.1:" + port,
        "db.poolSize", System.getProperty("bench.poolSize", "16"), "oidc.clientAuthFailuresPer15Min", "1000000",
        // production password-hash cost (the tests use a cheaper one), for the complete sign-ins
        "security.argon2MemoryKib", System.getProperty("bench.argon2MemoryKib", "19456"),
        "security.argon2Iterations", System.getProperty("bench.argon2Iterations", "2"), "security.signInAttemptsPer15Min", "100000"))) {
      meter = new CpuMeter(ProcessHandle.current().pid(), cluster.database().port(), -1);
      Services s = node.platform().services();
      database = s.pool();
      Fixtures fixtures = new Fixtures(node);
      fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "bench-admin@shimada.example", jp.tsunagu.platform.staff.Role.TENANT_ADMIN);
      Account citizen = fixtures.verifiedCitizen("bench-citizen@example.jp");
      ClientService.Registered rp = Fixtures.await(s.oidc().clients().register(Staff.SYSTEM, Fixtures.SHIMADA, "bench-rp-0001",
          new JsonObject().put("name", "bench").put("redirectUris", List.of(REDIRECT)).put("scopes", List.of("openid", "email", "api.read"))
              .put("grantTypes", List.of("authorization_code", "refresh_token", "client_credentials")), "bench-secret"));
      String basic = "Basic " + Base64.getEncoder().encodeToString("bench-rp-0001:bench-secret".getBytes());
      // the citizen's consent to the service, in the ledger: every grant passes the consent gate (cached per link)
      Fixtures.await(s.oidc().consent().give(rp.client(), citizen.id(), java.util.Set.of("openid", "email"),
          java.util.Set.of("sign_in")));
      java.util.function.IntFunction<String> refreshTokens = spareRefreshTokens(s, citizen.id(), rp.client().clientId());
      spareCodes(s, citizen.id(), rp.client().clientId());
      String url = node.baseUrl() + "/oauth2/token";
      String cc = "grant_type=client_credentials&scope=api.read";

      report.append("| grant | peak (64 connections; median of 3 runs, range) | p50 / p99 at peak | at about half of peak | p50 / p99 there | non-2xx "
              + "| CPU per grant: node / PostgreSQL / with wrk | WAL per grant | cores busy at peak |\n")
          .append("|---|---|---|---|---|---|---|---|---|\n");
      if (ONLY.contains("refresh") || ONLY.contains("code") || ONLY.contains("cc")) {
        // warm-up of the token endpoint's common path (JIT, pools); a sign-in-only run skips it,
        // so that its profile and thread CPU hold sign-ins alone
        wrk(url, 16, 5, script(null, cc), "0", basic);
      }
      String refresh = "grant_type=refresh_token&refresh_token=";
      if (ONLY.contains("refresh")) report.append(row("refresh_token (rotation, one statement)", url, refreshTokens, refresh, basic));
      String code = "redirect_uri=" + enc(REDIRECT) + "&grant_type=authorization_code&code=";
      if (ONLY.contains("code")) report.append(row("authorization_code (exchange, one statement)", url, i -> "bench-code-" + i, code, basic));
      if (ONLY.contains("cc")) report.append(row("client_credentials", url, null, cc, basic));
      if (ONLY.contains("dpop")) report.append('\n').append(DpopCost.measure(node.baseUrl(), basic, meter));
      if (ONLY.contains("signin")) report.append('\n').append(SignInLimit.measure(node, fixtures, rp.client().clientId(), basic, meter));
      report.append('\n').append(verification(node, basic));
    }
    report.append(String.format(Locale.ROOT, "Load average (1, 5, 15 min) before the run: %s; after: %s. The node (2 event loops, "
        + "16 PostgreSQL connections shared out over its event loops), its embedded PostgreSQL and wrk share the machine's cores with whatever else runs there.%n%n",
        loadBefore.substring(0, loadBefore.lastIndexOf(' ', loadBefore.lastIndexOf(' ') - 1)),
        Files.readString(Path.of("/proc/loadavg")).trim().replaceAll("^(\\S+ \\S+ \\S+).*", "$1")));
    report.append(NOTES);
    if (ONLY.containsAll(ALL_GRANTS)) {
      write(report.toString());
    } else {
      // A run of some grants only would replace the section's other rows: it goes to target/ instead.
      Files.writeString(Path.of("target", "oidc-bench-partial.md"), report.toString());
      System.out.println("partial run (" + String.join(",", ONLY) + "): docs/benchmarks.md left as it was; written to target/oidc-bench-partial.md");
    }
    System.out.println(report);
  }

  /**
   * A warm-up at the peak's concurrency (until the JIT has compiled this grant's path), three peak
   * runs at 64 connections (the median one is reported, with the range), then the same load slowed
   * (per-connection delay) to about half of the median peak. Single-use values ({@code values}
   * names them, null for none) come from separate slices, so no run spends another's.
   */
  static String row(String label, String url, java.util.function.IntFunction<String> values, String body, String basic) throws Exception {
    int[] round = {0};
    double jit = untilJitQuiet(WARM_ROUNDS, WARM_SECONDS, () -> {
      int r = round[0]++;
      wrk(url, 64, WARM_SECONDS, script(values == null ? null : lines(values, r * WARM_EACH, (r + 1) * WARM_EACH), body), "0", basic);
    });
    System.out.printf("%s: warm after %d rounds (JIT compiling %.1f %% of a core in the last)%n", label, round[0], 100 * jit);
    List<FoundationBench.Wrk> peaks = new ArrayList<>();
    List<CpuMeter.Reading> used = new ArrayList<>();
    List<Double> walBytes = new ArrayList<>();
    statements(database, true);
    for (int i = 0; i < PEAKS; i++) {
      Path slice = values == null ? null : lines(values, WARM + i * PEAK_EACH, WARM + (i + 1) * PEAK_EACH);
      Path lua = script(slice, body);
      CpuMeter.Reading before = meter.read();
      String walBefore = walPosition();
      peaks.add(wrk(url, 64, SECONDS, lua, "0", basic));
      used.add(meter.read().minus(before));
      walBytes.add(walSince(walBefore));
      System.out.printf("%s, peak run %d: %.0f/s; cores: %s%n", label, i + 1, peaks.get(i).requestsPerSecond, used.get(i).cores("node"));
    }
    statements(database, false);
    List<Integer> order = new ArrayList<>(java.util.stream.IntStream.range(0, PEAKS).boxed().toList());
    order.sort(java.util.Comparator.comparingDouble(i -> peaks.get(i).requestsPerSecond));
    int median = order.get(PEAKS / 2);
    FoundationBench.Wrk peak = peaks.get(median);
    CpuMeter.Reading cpuUsed = used.get(median);
    String cpu = cpuUsed.perRequest(peak.requestsPerSecond * cpuUsed.seconds());
    String range = String.format(Locale.ROOT, "%.0f–%.0f/s", peaks.get(order.get(0)).requestsPerSecond,
        peaks.get(order.get(PEAKS - 1)).requestsPerSecond);
    int connections = 16;
    long delayMs = Math.max(1, Math.round(connections * 1000.0 / (peak.requestsPerSecond / 2)));
    Path halfSlice = values == null ? null : lines(values, WARM + PEAKS * PEAK_EACH, SPARE);
    FoundationBench.Wrk half = wrk(url, connections, SECONDS, script(halfSlice, body), String.valueOf(delayMs), basic);
    double grants = peak.requestsPerSecond * cpuUsed.seconds();
    String wal = String.format(Locale.ROOT, "%.0f B", walBytes.get(median) / grants);
    return String.format(Locale.ROOT, "| %s | **%.0f/s** (%s) | %s / %s | %.0f/s | %s / %s | %d | %s | %s | %s |%n", label,
        peak.requestsPerSecond, range, peak.p50, peak.p99, half.requestsPerSecond, half.p50, half.p99,
        peaks.stream().mapToLong(w -> w.errors).sum() + half.errors, cpu, wal, cpuUsed.cores("node"));
  }

  /** The database's current WAL insert position. */
  private static String walPosition() throws Exception {
    return Fixtures.await(database.query("SELECT pg_current_wal_insert_lsn()::text").execute()).iterator().next().getString(0);
  }

  /** Bytes of WAL written since {@code position} (by everything on the server: the grants and the node's background work). */
  private static double walSince(String position) throws Exception {
    return Fixtures.await(database.preparedQuery("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn)::float8")
        .execute(io.vertx.sqlclient.Tuple.of(position))).iterator().next().getDouble(0);
  }

  /** Work that can fail, run as a warm-up round. */
  interface Round {
    void run() throws Exception;
  }

  /**
   * Repeats a warm-up round (at most {@code rounds} times) until the JIT compiler spent less than
   * {@link #QUIET_JIT} of one core compiling during the last one; answers that last share.
   */
  static double untilJitQuiet(int rounds, int seconds, Round round) throws Exception {
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    double share = 1;
    for (int i = 0; i < rounds && share >= QUIET_JIT; i++) {
      long before = jit.getTotalCompilationTime();
      long t0 = System.nanoTime();
      round.run();
      share = (jit.getTotalCompilationTime() - before) / ((System.nanoTime() - t0) / 1e6);
    }
    return share;
  }

  /** wrk with a script and its arguments (which follow the URL after "--"). */
  static FoundationBench.Wrk wrk(String url, int connections, int seconds, Path script, String delayMs, String basic) throws Exception {
    return FoundationBench.Wrk.run("", connections, seconds, "-s", script.toString(), url, "--", delayMs, basic);
  }

  /** A wrk script that posts {@code prefix + next line of the file} (or just {@code prefix}), with an optional delay. */
  static Path script(Path values, String prefix) throws Exception {
    Path lua = Files.createTempFile("oidc-bench", ".lua");
    Files.writeString(lua, """
        local threads = {}
        local next_id = 0
        function setup(thread) thread:set("id", next_id); next_id = next_id + 1 end
        function init(args)
          delay_ms = tonumber(args[1]) or 0
          wrk.method = "POST"
          wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
          wrk.headers["Authorization"] = args[2]
          values = {}
          local file = "%s"
          if file ~= "" then
            local i = 0
            for line in io.lines(file) do
              if i %% 2 == id then values[#values + 1] = line end
              i = i + 1
            end
          end
          n = 0
        end
        function delay() return delay_ms end
        function request()
          local body = "%s"
          if #values > 0 then
            n = n + 1
            body = body .. (values[n] or "spent")
          end
          return wrk.format(nil, nil, nil, body)
        end
        """.formatted(values == null ? "" : values.toString(), prefix));
    return lua;
  }

  /**
   * Refresh tokens to spend, written in bulk: each of its own grant, as in real use (a grant has one live refresh token;
   * its next one exists only after a rotation). Their values go to a file.
   */
  static java.util.function.IntFunction<String> spareRefreshTokens(Services s, UUID account, String clientId) throws Exception {
    Fixtures.await(s.pool().preparedQuery("INSERT INTO oidc_grant (id, client_id, account_id, sid, scopes, auth_time, acr, refresh_generation, "
            + "refresh_expires_at) SELECT ('00000000-0000-0000-0000-' || lpad(to_hex(g), 12, '0'))::uuid, $1, $2, 'bench-sid', '{openid,email}', now(), "
            + "'urn:tsunagu:acr:email-verified', 0, now() + interval '1 day' FROM generate_series(1, $3) g")
        .execute(Tuple.of(clientId, account, SPARE)));
    // each grant's live token (generation 0), made under the platform's refresh-token secret as the token endpoint makes them
    jp.tsunagu.platform.oidc.RefreshTokens tokens = new jp.tsunagu.platform.oidc.RefreshTokens(Fixtures.await(
        jp.tsunagu.platform.consentlink.PlatformSecrets.of(s.pool(), s.config()).getOrCreate(jp.tsunagu.platform.oidc.Oidc.REFRESH_TOKEN_SECRET,
            () -> new byte[32]))); // the node made its secret at start; this value is never stored
    return i -> tokens.issue(new UUID(0, i + 1), 0);
  }

  /** Codes to exchange: flows in state done, written in bulk; their codes go to a file. */
  static void spareCodes(Services s, UUID account, String clientId) throws Exception {
    JsonObject request = new JsonObject().put("client_id", clientId).put("redirect_uri", REDIRECT).put("scope", List.of("openid", "email"))
        .put("state", "s").put("nonce", "n").put("prompt", List.of()).put("ui_locales", List.of()).put("acr_values", List.of());
    Fixtures.await(s.pool().preparedQuery("INSERT INTO oidc_flow (id, client_id, state, request, binding_hash, account_id, sid, auth_time, acr, "
            + "granted_scopes, code_hash, code_expires_at, expires_at) SELECT md5('bench-flow-' || i)::uuid, $1, 'done', $2, '\\x00', $3, 'bench-sid', now(), "
            + "'urn:tsunagu:acr:email-verified', '{openid,email}', sha256(convert_to('bench-code-' || i, 'UTF8')), now() + interval '1 day', "
            + "now() + interval '1 day' FROM generate_series(0, $4 - 1) i")
        .execute(Tuple.of(clientId, request, account, SPARE)));
  }

  /** The values {@code value(i)} for from ≤ i < to, one a line (separate files, so no value is spent twice). */
  static Path lines(java.util.function.IntFunction<String> value, int from, int to) throws Exception {
    Path file = Files.createTempFile("oidc-bench", ".txt");
    StringBuilder out = new StringBuilder();
    for (int i = from; i < to; i++) {
      out.append(value.apply(i)).append('\n');
    }
    Files.writeString(file, out);
    return file;
  }

  /** A resource server checking access tokens with Nimbus against the JWKS, on one thread. */
  static String verification(TestPlatform node, String basic) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String body = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/oauth2/token")).header("Authorization", basic)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=api.read")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    String token = new JsonObject(body).getString("access_token");
    JWKSet jwks = JWKSet.load(new URL(node.baseUrl() + "/oauth2/jwks"));
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(jwks)));
    processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(node.baseUrl(),
        new JWTClaimsSet.Builder().issuer(node.baseUrl()).build(), Set.of("sub", "exp", "iat", "jti", "client_id")));
    long warmUntil = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < warmUntil) {
      processor.process(token, null);
    }
    long n = 0;
    long start = System.nanoTime();
    long end = start + SECONDS * 1_000_000_000L;
    while (System.nanoTime() < end) {
      processor.process(token, null);
      n++;
    }
    double perSecond = n / ((System.nanoTime() - start) / 1e9);
    return String.format(Locale.ROOT, "Access-token verification at a resource server (Nimbus `DefaultJWTProcessor`: RS256 signature "
        + "with the key from the JWKS, `typ` at+jwt, issuer, audience, expiry), one thread for %d s: **%.0f verifications/s per core** "
        + "(goal ≥ 10,000).%n%n", SECONDS, perSecond);
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  static void write(String section) throws Exception {
    Path doc = Path.of("..", "docs", "benchmarks.md");
    String body = "<!-- oidc:start -->\n## OpenID provider (platform-core)\n\n" + FoundationBench.machine().replace("FoundationBench", "OidcBench")
        + "\n" + section + "<!-- oidc:end -->";
    String text = Files.readString(doc);
    int a = text.indexOf("<!-- oidc:start -->");
    int b = text.indexOf("<!-- oidc:end -->");
    text = a >= 0 && b > a ? text.substring(0, a) + body + text.substring(b + "<!-- oidc:end -->".length()) : text + "\n" + body + "\n";
    Files.writeString(doc, text);
  }
}

package jp.tsunagu.platform.bench;

import static jp.tsunagu.platform.bench.OidcBench.CITIZENS;
import static jp.tsunagu.platform.bench.OidcBench.FLOW_THREADS;
import static jp.tsunagu.platform.bench.OidcBench.REDIRECT;
import static jp.tsunagu.platform.bench.OidcBench.SECONDS;
import static jp.tsunagu.platform.bench.OidcBench.untilJitQuiet;

import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jp.tsunagu.platform.Services;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;

/** The OpenID provider bench's complete sign-ins, against the limit the password hash sets. */
final class SignInLimit {
  /** Rounds of the hash limit followed by sign-ins; the middle one's latencies and cores are reported. */
  private static final int ROUNDS = 3;

  private SignInLimit() {}

  /**
   * Complete sign-ins against the limit the password hash sets on this machine: first Argon2id verifications alone on the
   * node's password workers (as many callers as flows), then whole flows (authorize, sign-in form, code, token) by
   * {@value OidcBench#FLOW_THREADS} browsers, each flow with a fresh cookie jar. Every citizen has consented once before (a first
   * flow each, not counted), so the consent page is not shown.
   */
  static String measure(TestPlatform node, Fixtures fixtures, String clientId, String basic, CpuMeter meter) throws Exception {
    Services s = node.platform().services();
    List<String> emails = new java.util.ArrayList<>();
    for (int i = 0; i < CITIZENS; i++) {
      emails.add(fixtures.verifiedCitizen("bench-flow-" + i + "@example.jp").email());
    }
    SignInFlows flows = new SignInFlows(node.baseUrl(), clientId, basic, REDIRECT);
    try (SignInFlows.Browser browser = flows.new Browser()) {
      for (String email : emails) { // consent once each
        browser.signIn(email, Fixtures.PASSWORD);
      }
    }
    // warm-up: the JIT compiles the pages, forms and flows. Sign-ins are slow (one password hash each): at about 50/s a method
    // called once per sign-in reaches C2's thresholds (thousands of calls) only after minutes, so up to 20 rounds of 15 s
    double jit = untilJitQuiet(Integer.getInteger("bench.signInWarmRounds", 20), 15, () -> flows.run(FLOW_THREADS, 15, emails, Fixtures.PASSWORD));
    System.out.printf("sign-ins warm (JIT compiling %.1f %% of a core in the last round)%n", 100 * jit);
    String stored = Fixtures.await(s.pool().preparedQuery("SELECT password_hash FROM account WHERE email = $1")
        .execute(Tuple.of(emails.get(0)))).iterator().next().getString(0);
    // the limit and the sign-ins alternate three times, so a change in the machine's load between them shows in both
    OidcBench.statements(s.pool(), true);
    List<Double> limits = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    List<Double> shares = new ArrayList<>();
    List<Double> driverShares = new ArrayList<>();
    List<SignInFlows.Result> results = new ArrayList<>();
    List<double[]> besides = new ArrayList<>(); // CPU ms per sign-in outside Argon2id: node, PostgreSQL, driver
    List<String> byThreads = new ArrayList<>(); // the node's CPU ms per sign-in by thread group
    String hashCores = "";
    String flowCores = "";
    for (int round = 0; round < ROUNDS; round++) {
      CpuMeter.Reading before = meter.read();
      double hashes = hashLimit(s.hasher(), stored);
      CpuMeter.Reading hashCpu = meter.read().minus(before);
      before = meter.read();
      java.util.Map<String, Double> threadsBefore = ThreadCpu.read();
      double hashSecondsBefore = hashCpuSeconds(s);
      SignInFlows.Result r = flows.run(FLOW_THREADS, SECONDS, emails, Fixtures.PASSWORD);
      double hashSeconds = hashCpuSeconds(s) - hashSecondsBefore;
      CpuMeter.Reading flowCpu = meter.read().minus(before);
      java.util.Map<String, Double> threads = ThreadCpu.minus(ThreadCpu.read(), threadsBefore);
      double driverSeconds = r.driverCpuSeconds(); // the browsers' threads (blocking sockets: all their work is on them)
      double nodeSeconds = flowCpu.node() - driverSeconds;
      limits.add(hashes);
      rates.add(r.perSecond());
      ratios.add(r.perSecond() / hashes);
      shares.add(hashSeconds / nodeSeconds);
      driverShares.add(driverSeconds / (flowCpu.seconds() * Runtime.getRuntime().availableProcessors()));
      results.add(r);
      if (round == ROUNDS / 2) {
        hashCores = hashCpu.cores("node");
        flowCores = flowCpu.cores("node");
      }
      double perFlow = 1000.0 / Math.max(1, r.flows());
      besides.add(new double[] {(nodeSeconds - hashSeconds) * perFlow, flowCpu.postgres() * perFlow, driverSeconds * perFlow});
      StringBuilder byThread = new StringBuilder();
      threads.forEach((group, seconds) -> byThread.append(byThread.isEmpty() ? "" : ", ").append(group).append(' ')
          .append(String.format(Locale.ROOT, "%.2f", seconds * perFlow)));
      byThreads.add(byThread.toString());
      System.out.printf("round %d: hash limit %.1f/s (cores: %s); flows %.1f/s (cores: %s); node CPU without the driver %.1f s, in Argon2id %.1f s, "
          + "driver %.1f s; per sign-in besides the hash: node %.2f ms, PostgreSQL %.2f ms, driver %.2f ms; node by thread (ms): %s%n", round + 1, hashes,
          hashCpu.cores("node"), r.perSecond(), flowCpu.cores("node"), nodeSeconds, hashSeconds, driverSeconds,
          besides.getLast()[0], besides.getLast()[1], besides.getLast()[2], byThreads.getLast());
    }
    OidcBench.statements(s.pool(), false);
    SignInFlows.Result r = results.get(ROUNDS / 2);
    return String.format(Locale.ROOT, "Complete sign-ins (GET authorize with PKCE → sign-in page → POST the form: e-mail, password, CSRF "
            + "token → redirect with the code → code exchange with an ID token; each flow a new browser speaking HTTP/1.1 with an empty "
            + "cookie jar; consent given once before), Argon2id m=%d KiB, t=%d, p=%d on the node's %d password workers, %d browsers; "
            + "warmed up until the JIT compiler was quiet (%.1f %% of a core in the last 15 s round), then three rounds of %d s of "
            + "password checks alone (%d callers on the same workers, nothing else: the limit the hash sets) followed by %d s of sign-ins. "
            + "Medians of the three rounds: **%.1f sign-ins/s** (range %.1f–%.1f; p50 %s, p99 %s in the middle round, %d failed in all) "
            + "against **%.1f verifications/s** (range %.1f–%.1f): sign-ins reach **%.0f %%** of the limit (range %.0f–%.0f %%; goal ≥ 90 %%). "
            + "Of the node's CPU during the sign-ins (the driver's own threads, which run in the same JVM, left out), **%.0f %%** went into "
            + "Argon2id (range %.0f–%.0f %%). The driver's browsers took %.0f %% of the machine's cores, which real browsers would not. "
            + "CPU per sign-in besides the hash (median of the rounds): node %.2f ms, PostgreSQL %.2f ms, the driver's browsers %.2f ms; "
            + "the node's threads in the middle round, ms of CPU per sign-in: %s. "
            + "Cores busy in the middle round: during the hashes alone %s; during the sign-ins %s.%n%n",
        s.config().get(jp.tsunagu.platform.config.TsunaguConfig.ARGON2_MEMORY_KIB), s.config().get(jp.tsunagu.platform.config.TsunaguConfig.ARGON2_ITERATIONS),
        s.config().get(jp.tsunagu.platform.config.TsunaguConfig.ARGON2_PARALLELISM),
        s.config().get(jp.tsunagu.platform.config.TsunaguConfig.PASSWORD_WORKERS), FLOW_THREADS, 100 * jit, SECONDS, FLOW_THREADS, SECONDS,
        median(rates), min(rates), max(rates), r.percentile(0.5), r.percentile(0.99), results.stream().mapToLong(SignInFlows.Result::failures).sum(),
        median(limits), min(limits), max(limits), 100 * median(ratios), 100 * min(ratios), 100 * max(ratios),
        100 * median(shares), 100 * min(shares), 100 * max(shares), 100 * median(driverShares),
        median(column(besides, 0)), median(column(besides, 1)), median(column(besides, 2)), byThreads.get(ROUNDS / 2), hashCores, flowCores);
  }

  static double median(List<Double> v) {
    List<Double> sorted = new ArrayList<>(v);
    java.util.Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static List<Double> column(List<double[]> rows, int i) {
    return rows.stream().map(row -> row[i]).toList();
  }

  static double min(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  static double max(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** CPU seconds the node has spent in Argon2id (its own counter). */
  static double hashCpuSeconds(Services s) {
    var counter = s.metrics().find("tsunagu.password.hash.cpu").counter();
    return counter == null ? 0 : counter.count();
  }

  /** Password verifications per second on the node's password workers, {@value OidcBench#FLOW_THREADS} callers waiting for one each. */
  static double hashLimit(jp.tsunagu.platform.security.PasswordHasher hasher, String stored) throws Exception {
    java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
    long start = System.nanoTime();
    long end = start + SECONDS * 1_000_000_000L;
    List<Thread> callers = new java.util.ArrayList<>();
    for (int i = 0; i < FLOW_THREADS; i++) {
      callers.add(Thread.ofPlatform().start(() -> {
        while (System.nanoTime() < end) {
          try {
            if (hasher.verify(Fixtures.PASSWORD, stored).toCompletionStage().toCompletableFuture().get()) {
              done.incrementAndGet();
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }));
    }
    for (Thread t : callers) {
      t.join();
    }
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }

}

package jp.tsunagu.platform.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load driver for the foundation's figures: start-up to ready (separate PostgreSQL and embedded),
 * sign-ins per second with the share of CPU spent hashing passwords, and an authenticated JSON GET
 * of "my account" under wrk at 64 connections. Each platform node runs as its own process
 * ({@code java -jar platform-core/target/tsunagu.jar}), as in production; PostgreSQL runs as a
 * separate server process on loopback. Results go to the "Foundation" section of
 * docs/benchmarks.md.
 */
public final class FoundationBench {
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
  private static final Path JAR = Path.of("target/tsunagu.jar").toAbsolutePath();
  private static final int STARTS = Integer.getInteger("bench.starts", 5);
  private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
  /** The class-data sharing archive the launcher uses too; the first start of a run writes it. */
  private static final Path CDS_ARCHIVE = Path.of("target/bench-tsunagu.jsa").toAbsolutePath();

  private FoundationBench() {}

  public static void main(String[] args) throws Exception {
    StringBuilder report = new StringBuilder();
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("max_connections", "300")
        .setServerConfig("synchronous_commit", "on").start()) {
      String url = "postgresql://postgres@127.0.0.1:" + pg.getPort() + "/postgres";
      Files.deleteIfExists(CDS_ARCHIVE);
      startAndStop(url, null); // migrates the schema and writes the class-data sharing archive
      List<Long> external = new ArrayList<>();
      for (int i = 0; i < STARTS; i++) {
        external.add(startAndStop(url, null));
      }
      List<Long> embeddedFresh = new ArrayList<>();
      List<Long> embeddedWarm = new ArrayList<>();
      Path dataDir = Files.createTempDirectory("tsunagu-bench-pg");
      for (int i = 0; i < Math.max(2, STARTS / 2); i++) {
        Path fresh = Files.createTempDirectory("tsunagu-bench-pg-fresh");
        embeddedFresh.add(startAndStop(null, fresh));
      }
      for (int i = 0; i < STARTS; i++) {
        embeddedWarm.add(startAndStop(null, dataDir));
      }
      report.append("### Start-up to ready\n\n")
          .append("From process start (`java -jar`) to the log line `ready in … ms` (HTTP listening, migrations applied, ")
          .append("Hazelcast member up), ").append(STARTS).append(" starts each after one start that writes the class-data ")
          .append("sharing archive (`-XX:+AutoCreateSharedArchive`, as `./tsunagu start` does), median [min–max]:\n\n")
          .append("| database | median | range |\n|---|---|---|\n")
          .append(row("separate PostgreSQL server (schema migrated by an earlier start)", external))
          .append(row("embedded PostgreSQL, existing data folder", embeddedWarm))
          .append(row("embedded PostgreSQL, new data folder (initdb included)", embeddedFresh))
          .append('\n');

      try (Node node = Node.start(url)) {
        node.createCitizen("bench@tsunagu.example", "bench password 2026");
        report.append(signIns(node)).append(myAccount(node));
      }
    }
    write(report.toString());
    System.out.println(report);
  }

  /** Starts a node process, waits for "ready in N ms", stops it, returns the JVM's start-to-ready time. */
  static long startAndStop(String dbUrl, Path dataDir) throws Exception {
    ProcessBuilder pb = nodeProcess(dbUrl, dataDir);
    long started = System.nanoTime();
    Process p = pb.start();
    long ready = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      Pattern readyLine = Pattern.compile("ready in (\\d+) ms");
      while ((line = out.readLine()) != null) {
        Matcher m = readyLine.matcher(line);
        if (m.find()) {
          ready = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
          break;
        }
      }
      p.destroy();
      p.waitFor(60, TimeUnit.SECONDS);
    }
    if (ready < 0) {
      throw new IllegalStateException("the node did not become ready");
    }
    return ready;
  }

  static ProcessBuilder nodeProcess(String dbUrl, Path dataDir) throws IOException {
    // the node's JVM options as ./tsunagu start gives them
    ProcessBuilder pb = new ProcessBuilder(JAVA, "-XX:+UseG1GC", "-Xms256m", "-XX:+AutoCreateSharedArchive",
        "-XX:SharedArchiveFile=" + CDS_ARCHIVE,
        Runtime.version().feature() >= 23 ? "--sun-misc-unsafe-memory-access=allow" : "-Dio.netty.noUnsafe=false", "-jar", JAR.toString());
    pb.redirectErrorStream(true);
    pb.environment().put("TSUNAGU_HTTP_PORT", String.valueOf(freePort()));
    pb.environment().put("TSUNAGU_HTTP_HOST", "127.0.0.1");
    pb.environment().put("TSUNAGU_CLUSTER_PORT", String.valueOf(freePort()));
    pb.environment().put("TSUNAGU_CLUSTER_NAME", "bench-" + System.nanoTime());
    pb.environment().put("TSUNAGU_SEARCH_DATA_DIR", Files.createTempDirectory("tsunagu-bench-search").toString());
    if (dbUrl != null) {
      pb.environment().put("TSUNAGU_DB_URL", dbUrl);
    } else {
      pb.environment().put("TSUNAGU_DB_EMBEDDED_DATA_DIR", dataDir.toString());
    }
    return pb;
  }

  static String signIns(Node node) throws Exception {
    Path script = Files.createTempFile("signin", ".lua");
    Files.writeString(script, """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.body = '{"email":"bench@tsunagu.example","password":"bench password 2026"}'
        """);
    // warm up (JIT) before measuring, as for the GET below: the figure is the steady state
    Wrk.run(node.base() + "/api/v1/session", 8, 10, "-s", script.toString());
    double hashBefore = node.metric("tsunagu_password_hash_cpu_seconds_total");
    long cpuBefore = node.cpuTicks();
    Wrk result = Wrk.run(node.base() + "/api/v1/session", 8, SECONDS, "-s", script.toString());
    long cpuAfter = node.cpuTicks();
    double hashAfter = node.metric("tsunagu_password_hash_cpu_seconds_total");
    double processCpu = (cpuAfter - cpuBefore) / (double) Node.CLOCK_TICKS;
    double share = (hashAfter - hashBefore) / processCpu;
    return "### Sign-ins\n\n"
        + String.format(Locale.ROOT, "`POST /api/v1/session` (JSON, Argon2id m=19456 KiB, t=2, p=1; session created in Hazelcast), "
            + "wrk 2 threads, 8 connections, %d s after a 10 s warm-up: **%.1f sign-ins/s**, p50 %s, p99 %s; non-2xx: %d.%n%n", SECONDS,
            result.requestsPerSecond, result.p50, result.p99, result.errors)
        + String.format(Locale.ROOT, "CPU of the node process during the run: %.1f s; of it in Argon2id: %.1f s = **%.0f %%** "
            + "(goal ≥ 90 %%; the rest is HTTP, JSON, PostgreSQL, the session store, the collector and the "
            + "compiler). wrk shares the 2 cores; the machine is shared with other work, so the rate moves with its load.%n%n",
            processCpu, hashAfter - hashBefore, share * 100);
  }

  static String myAccount(Node node) throws Exception {
    String cookie = node.signIn("bench@tsunagu.example", "bench password 2026");
    // warm up (JIT, pools) before measuring
    Wrk.run(node.base() + "/api/v1/me", 64, 10, "-H", "Cookie: " + cookie);
    List<Wrk> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(Wrk.run(node.base() + "/api/v1/me", 64, SECONDS, "-H", "Cookie: " + cookie));
    }
    StringBuilder out = new StringBuilder("### Authenticated JSON GET of my account\n\n")
        .append("`GET /api/v1/me` with a session cookie (session read from Hazelcast, account and residence from the ")
        .append("node's account cache, PostgreSQL only on a miss), wrk 2 threads, 64 connections, ").append(SECONDS).append(" s per run, 3 runs after a 10 s warm-up. ")
        .append("wrk runs on the same 2 cores as the node and PostgreSQL.\n\n")
        .append("| run | requests/s | p50 | p99 | non-2xx |\n|---|---|---|---|---|\n");
    for (int i = 0; i < runs.size(); i++) {
      Wrk r = runs.get(i);
      out.append(String.format(Locale.ROOT, "| %d | %.0f | %s | %s | %d |%n", i + 1, r.requestsPerSecond, r.p50, r.p99, r.errors));
    }
    List<Double> rps = new ArrayList<>(runs.stream().map(r -> r.requestsPerSecond).toList());
    Collections.sort(rps);
    out.append(String.format(Locale.ROOT, "%nMedian: **%.0f requests/s** (goal ≥ 15,000 at p99 ≤ 10 ms).%n%n", rps.get(rps.size() / 2)));
    return out.toString();
  }

  static String row(String label, List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return "| " + label + " | " + sorted.get(sorted.size() / 2) + " ms | " + sorted.get(0) + "–" + sorted.get(sorted.size() - 1) + " ms |\n";
  }

  static void write(String section) throws IOException {
    Path doc = Path.of("..", "docs", "benchmarks.md");
    String machine = machine();
    String body = "<!-- foundation:start -->\n## Foundation (platform-core)\n\n" + machine + "\n" + section + "<!-- foundation:end -->";
    String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n\n";
    int a = text.indexOf("<!-- foundation:start -->");
    int b = text.indexOf("<!-- foundation:end -->");
    text = a >= 0 && b > a ? text.substring(0, a) + body + text.substring(b + "<!-- foundation:end -->".length())
        : text + "\n" + body + "\n";
    Files.writeString(doc, text);
  }

  static String machine() throws IOException {
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
    return String.format(Locale.ROOT, "Measured %s on %d cores (%s), %d GiB, JDK %s, by `./tsunagu bench` "
            + "(platform-core's `FoundationBench`). The machine is shared and noisy; read medians, not single runs.%n",
        java.time.LocalDate.now(), Runtime.getRuntime().availableProcessors(), cpu,
        ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize() >> 30, Runtime.version());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A node process under load. */
  static final class Node implements AutoCloseable {
    static final long CLOCK_TICKS = 100;
    final Process process;
    final int port;
    final HttpClient http = HttpClient.newHttpClient();
    final String dbUrl;

    private Node(Process process, int port, String dbUrl) {
      this.process = process;
      this.port = port;
      this.dbUrl = dbUrl;
    }

    static Node start(String dbUrl) throws Exception {
      ProcessBuilder pb = nodeProcess(dbUrl, null);
      int port = Integer.parseInt(pb.environment().get("TSUNAGU_HTTP_PORT"));
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      Process p = pb.start();
      Node node = new Node(p, port, dbUrl);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline) {
        try {
          if (node.http.send(HttpRequest.newBuilder(URI.create(node.base() + "/health/ready")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return node;
          }
        } catch (IOException notYet) {
          // still starting
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
      throw new IllegalStateException("node did not start");
    }

    String base() {
      return "http://127.0.0.1:" + port;
    }

    void createCitizen(String email, String password) throws Exception {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/accounts"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"" + password
              + "\",\"displayName\":\"Bench\"}")).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201 && r.statusCode() != 409) {
        throw new IllegalStateException("sign-up failed: " + r.body());
      }
      URI uri = URI.create(dbUrl);
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(), "postgres", "")) {
        c.createStatement().execute("UPDATE core.account SET email_verified_at = now() WHERE email = '" + email + "'");
      }
    }

    String signIn(String email, String password) throws Exception {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/session"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.headers().allValues("set-cookie").stream().map(c -> c.split(";", 2)[0])
          .filter(c -> c.startsWith("tsunagu_session=")).findFirst().orElseThrow();
    }

    double metric(String name) throws Exception {
      String text = http.send(HttpRequest.newBuilder(URI.create(base() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (String line : text.split("\n")) {
        if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return 0;
    }

    /** utime + stime of the node process, in clock ticks. */
    long cpuTicks() throws IOException {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      process.waitFor(60, TimeUnit.SECONDS);
    }
  }

  /** One wrk run and what it printed. */
  static final class Wrk {
    double requestsPerSecond;
    String p50 = "?";
    String p99 = "?";
    long errors;

    static Wrk run(String url, int connections, int seconds, String... extra) throws Exception {
      List<String> cmd = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency"));
      cmd.addAll(List.of(extra));
      cmd.add(url);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      Wrk w = new Wrk();
      Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
      if (!rps.find()) {
        throw new IllegalStateException("wrk failed: " + out);
      }
      w.requestsPerSecond = Double.parseDouble(rps.group(1));
      Matcher p50 = Pattern.compile("\\s50%\\s+(\\S+)").matcher(out);
      if (p50.find()) {
        w.p50 = p50.group(1);
      }
      Matcher p99 = Pattern.compile("\\s99%\\s+(\\S+)").matcher(out);
      if (p99.find()) {
        w.p99 = p99.group(1);
      }
      Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)").matcher(out);
      if (non2xx.find()) {
        w.errors = Long.parseLong(non2xx.group(1));
      }
      return w;
    }
  }
}

package jp.tsunagu.platform.bench;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.platform.Services;
import jp.tsunagu.platform.content.Author;
import jp.tsunagu.platform.content.PageDraft;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;

/**
 * One municipality with many interest profiles ({@code bench.profiles}, default 1,000,000), one
 * page update matching a tenth of them, and {@code bench.connections} of the matched citizens
 * holding a real SSE live inbox stream: from the publish call to the first and the last stream
 * having the notice, and to the commit of every notification (the matcher's checkpoint).
 * In-process node on an embedded PostgreSQL; profiles are written in bulk first. Writes the
 * "Delivery" section of docs/benchmarks.md.
 */
public final class DeliveryBench {
  private static final int PROFILES = Integer.getInteger("bench.profiles", 1_000_000);
  /** Every tenth profile follows the page's category. */
  private static final int MATCHED = PROFILES / 10;
  private static final int RUNS = Integer.getInteger("bench.runs", 5);
  /** Live inbox streams held open (each takes two open files here: the server's and the client's end). */
  private static final int CONNECTIONS = Integer.getInteger("bench.connections", 8_000);
  private static final long FILE_LIMIT = fileLimit();

  private DeliveryBench() {}

  public static void main(String[] args) throws Exception {
    try (TestPlatform node = TestPlatform.start(Map.of("db.poolSize", "8"))) {
      Fixtures fixtures = new Fixtures(node);
      Services services = node.platform().services();
      var editor = fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
      Pool pool = services.pool();
      for (String code : List.of("bousai", "gomi")) {
        Fixtures.await(pool.preparedQuery("INSERT INTO content_taxonomy (tenant_code, kind, code, name_ja) VALUES ($1, 'category', $2, $2)")
            .execute(Tuple.of(Fixtures.SHIMADA, code)));
      }
      long setupStart = System.nanoTime();
      // every tenth profile follows disaster preparedness (bousai); the others waste collection
      int chunk = 50_000;
      for (int from = 1; from <= PROFILES; from += chunk) {
        Fixtures.await(pool.preparedQuery("WITH a AS (INSERT INTO account (id, email, email_verified_at) "
                + "SELECT gen_random_uuid(), 'p' || i || '@bench.example', now() FROM generate_series($1::int, $2::int) i "
                + "RETURNING id, email) "
                + "INSERT INTO interest_profile (account_id, tenant_code, interests, home_district) "
                + "SELECT id, $3, CASE WHEN split_part(substr(email, 2), '@', 1)::int % 10 = 0 THEN ARRAY['bousai'] "
                + "ELSE ARRAY['gomi'] END, CASE WHEN random() < 0.5 THEN 'd1' ELSE 'd2' END FROM a")
            .execute(Tuple.of(from, Math.min(PROFILES, from + chunk - 1), Fixtures.SHIMADA)));
      }
      Fixtures.await(pool.query("ANALYZE interest_profile").execute());
      double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
      // the live streams: citizens among the matched ones, each with a browser session and an SSE connection
      List<UUID> connected = new ArrayList<>();
      Fixtures.await(pool.preparedQuery("SELECT account_id FROM interest_profile WHERE interests = ARRAY['bousai'] LIMIT $1")
          .execute(Tuple.of(CONNECTIONS))).forEach(r -> connected.add(r.getUUID(0)));
      var vertx = node.platform().vertx();
      var store = io.vertx.ext.web.sstore.ClusteredSessionStore.create(vertx, jp.tsunagu.platform.http.HttpVerticle.SESSION_MAP);
      List<String> cookies = new ArrayList<>();
      for (int from = 0; from < connected.size(); from += 500) {
        List<io.vertx.core.Future<Void>> puts = new ArrayList<>();
        for (UUID account : connected.subList(from, Math.min(connected.size(), from + 500))) {
          var session = store.createSession(TimeUnit.HOURS.toMillis(2), 32);
          session.put(jp.tsunagu.platform.http.Auth.ACCOUNT, account.toString());
          session.put(jp.tsunagu.platform.http.Auth.STAMP, 0);
          cookies.add(jp.tsunagu.platform.http.HttpVerticle.SESSION_COOKIE + "=" + session.id());
          puts.add(store.put(session));
        }
        Fixtures.await(io.vertx.core.Future.all(puts));
      }
      Streams streams = new Streams(RUNS + 1);
      var clientVertx = io.vertx.core.Vertx.vertx();
      var client = clientVertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(true),
          new io.vertx.core.http.PoolOptions().setHttp1MaxSize(cookies.size() + 16));
      long connectStart = System.nanoTime();
      for (String cookie : cookies) {
        client.request(io.vertx.core.http.HttpMethod.GET, node.port(), "127.0.0.1", "/api/v1/me/notifications/stream")
            .compose(req -> req.putHeader("Cookie", cookie).putHeader("Accept", "text/event-stream").send())
            .onSuccess(resp -> {
              if (resp.statusCode() != 200) {
                streams.failed.incrementAndGet();
                return;
              }
              StringBuilder pending = new StringBuilder();
              boolean[] seen = new boolean[RUNS + 1];
              resp.handler(buf -> streams.read(pending, seen, buf.toString(java.nio.charset.StandardCharsets.UTF_8)));
            })
            .onFailure(err -> streams.failed.incrementAndGet());
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (streams.ready.get() + streams.failed.get() < cookies.size() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      if (streams.ready.get() != cookies.size()) {
        throw new IllegalStateException(streams.ready.get() + " of " + cookies.size() + " live streams opened, " + streams.failed.get() + " failed");
      }
      double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
      System.gc();
      long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();

      List<Double> firstLive = new ArrayList<>();
      List<Double> allLive = new ArrayList<>();
      List<Double> committed = new ArrayList<>();
      List<Double> publishCall = new ArrayList<>();
      List<Double> matching = new ArrayList<>();
      for (int i = 0; i < RUNS + 1; i++) {
        long start = System.nanoTime();
        streams.start[i] = start;
        var write = Fixtures.await(services.content().content().upsert(Author.staff(editor), Fixtures.SHIMADA,
            new PageDraft("https://www.city.shimada.shizuoka.jp/bousai/" + i + ".html", "避難情報 " + i, "",
                "<p>避難所を開設しました。</p>", "bousai", null, List.of(), List.of(), List.of(), "ja", null), "staff"));
        long returned = System.nanoTime();
        long changeId = write.event().changeId();
        long done;
        while (true) {
          long at = Fixtures.await(pool.query("SELECT last_change_id FROM notify_matcher").execute()).iterator().next().getLong(0);
          if (at >= changeId) {
            done = System.nanoTime();
            break;
          }
          Thread.sleep(2);
        }
        long liveDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (streams.served[i].get() < cookies.size() && System.nanoTime() < liveDeadline) {
          Thread.sleep(5);
        }
        if (streams.served[i].get() != cookies.size()) {
          throw new IllegalStateException("run " + i + ": " + streams.served[i].get() + " of " + cookies.size() + " streams served");
        }
        long recipients = Fixtures.await(pool.preparedQuery("SELECT recipients FROM notice WHERE change_id = $1")
            .execute(Tuple.of(changeId))).iterator().next().getLong(0);
        if (recipients != MATCHED) {
          throw new IllegalStateException("expected " + MATCHED + " recipients, got " + recipients);
        }
        // matching alone, after the run (the page as published, the same profiles)
        double matchMs = jp.tsunagu.platform.notify.MatchingProbe.millis(pool, write.page(), MATCHED);
        if (i >= 1) {
          matching.add(matchMs);
          committed.add((done - start) / 1e6);
          publishCall.add((returned - start) / 1e6);
          firstLive.add((streams.first[i].get() - start) / 1e6);
          allLive.add((streams.last[i].get() - start) / 1e6);
        }
      }
      client.close();
      clientVertx.close();
      double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      Collections.sort(firstLive);
      Collections.sort(allLive);
      Collections.sort(committed);
      Collections.sort(publishCall);
      Collections.sort(matching);
      String section = String.format(Locale.ROOT, """
          <!-- delivery:start -->
          ## Delivery (platform-core)

          Measured %s by platform-core's `DeliveryBench` on %d cores (load average %.1f at the end, shared machine), JDK %s,
          embedded PostgreSQL on the same machine: one municipality with %,d interest profiles (written in bulk in
          %.0f s), one page published that matches %,d of them (category of interest; profiles spread over two
          districts, the page city-wide), %d runs after one warm-up. %,d of the matched citizens hold a live inbox
          stream (real SSE connections over HTTP on loopback, opened in %.0f s from a client in the same process —
          %,d connections is what the process's limit of %,d open files allows with both ends in one process).
          *Committed*: from the publish call to the commit of all %,d notifications, the channel deliveries and the
          checkpoint, as seen by polling the checkpoint every 2 ms; *first live* / *all live*: from the publish call
          until the first / the last of the %,d streams has the notice's event. Heap in use after setup, streams
          open: %,d MiB (profiles live in PostgreSQL, not in the heap).

          | | median | min | max |
          |---|---|---|---|
          | matching alone (the matcher's selection of the %,d recipients, counted, nothing written) | %.0f ms | %.0f ms | %.0f ms |
          | first live delivery | %.0f ms | %.0f ms | %.0f ms |
          | all %,d live streams served | %.0f ms | %.0f ms | %.0f ms |
          | all notifications committed | %.0f ms | %.0f ms | %.0f ms |
          | (the publish call itself: page stored, change recorded) | %.0f ms | %.0f ms | %.0f ms |

          Goals (issue 6, 1,000,000 profiles, 100,000 matched): matching ≤ 500 ms, all notifications committed ≤ 3 s,
          first live delivery ≤ 1 s, all live connections served ≤ 10 s. Matching alone is measured after each run, on
          the same page and profiles, with no saved searches (their Lucene Monitor match runs before, on the node).
          <!-- delivery:end -->""", java.time.LocalDate.now(), Runtime.getRuntime().availableProcessors(), load, Runtime.version(),
          PROFILES, setupSeconds, MATCHED, RUNS, cookies.size(), connectSeconds, cookies.size(), FILE_LIMIT, MATCHED,
          cookies.size(), heap / (1024 * 1024),
          MATCHED, matching.get(matching.size() / 2), matching.get(0), matching.get(matching.size() - 1),
          firstLive.get(firstLive.size() / 2), firstLive.get(0), firstLive.get(firstLive.size() - 1), cookies.size(),
          allLive.get(allLive.size() / 2), allLive.get(0), allLive.get(allLive.size() - 1),
          committed.get(committed.size() / 2), committed.get(0), committed.get(committed.size() - 1),
          publishCall.get(publishCall.size() / 2), publishCall.get(0), publishCall.get(publishCall.size() - 1));
      write(section);
      System.out.println(section);
    }
  }

  /** What the bench's live streams have seen: per run, how many streams have its event, and when the first and the last did. */
  private static final class Streams {
    final java.util.concurrent.atomic.AtomicInteger ready = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
    final long[] start;
    final java.util.concurrent.atomic.AtomicInteger[] served;
    final java.util.concurrent.atomic.AtomicLong[] first;
    final java.util.concurrent.atomic.AtomicLong[] last;

    Streams(int runs) {
      start = new long[runs];
      served = new java.util.concurrent.atomic.AtomicInteger[runs];
      first = new java.util.concurrent.atomic.AtomicLong[runs];
      last = new java.util.concurrent.atomic.AtomicLong[runs];
      for (int i = 0; i < runs; i++) {
        served[i] = new java.util.concurrent.atomic.AtomicInteger();
        first[i] = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        last[i] = new java.util.concurrent.atomic.AtomicLong();
      }
    }

    /** Reads a chunk of one stream: complete events are split off at their blank line. */
    void read(StringBuilder pending, boolean[] seen, String chunk) {
      long now = System.nanoTime();
      pending.append(chunk);
      int end;
      while ((end = pending.indexOf("\n\n")) >= 0) {
        String event = pending.substring(0, end);
        pending.delete(0, end + 2);
        if (event.contains(": ready")) {
          ready.incrementAndGet();
        }
        String marker = "\"title\":\"避難情報 ";
        int at = event.indexOf(marker);
        if (at >= 0) {
          int from = at + marker.length();
          int run = Integer.parseInt(event.substring(from, event.indexOf('"', from)));
          if (!seen[run]) {
            seen[run] = true;
            first[run].accumulateAndGet(now, Math::min);
            last[run].accumulateAndGet(now, Math::max);
            served[run].incrementAndGet();
          }
        }
      }
    }
  }

  private static long fileLimit() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
  }

  static void write(String section) throws Exception {
    Path doc = Path.of("..", "docs", "benchmarks.md");
    String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n\n";
    int a = text.indexOf("<!-- delivery:start -->");
    int b = text.indexOf("<!-- delivery:end -->");
    text = a >= 0 && b > a ? text.substring(0, a) + section + text.substring(b + "<!-- delivery:end -->".length())
        : text + "\n" + section + "\n";
    Files.writeString(doc, text);
  }
}

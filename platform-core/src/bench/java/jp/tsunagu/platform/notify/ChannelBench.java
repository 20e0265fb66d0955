package jp.tsunagu.platform.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jp.tsunagu.platform.content.Author;
import jp.tsunagu.platform.content.PageDraft;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;

/**
 * Rates of the Web Push and e-mail channels. In this package (from the bench sources) so it
 * measures the platform's own {@link WebPushCrypto} and {@link Vapid}, not a copy.
 *
 * <ol>
 *   <li>Web Push payload encryption (RFC 8291 aes128gcm: ephemeral P-256 key, ECDH, HKDF, AES-GCM)
 *       and VAPID (RFC 8292) ES256 signing, on one thread and on every core;</li>
 *   <li>Web Push end to end: {@code bench.push} citizens with a push subscription, one matching
 *       page; from the commit of the notice until the local push peer (a Vert.x HTTP server on
 *       loopback that checks each request's headers, answers 201, and decrypts every 100th message
 *       to prove it readable) has every message and the counters say sent;</li>
 *   <li>e-mail end to end: {@code bench.mail} citizens with a confirmed e-mail channel, one matching
 *       page; from the commit until a real SMTP server (GreenMail on loopback) has received every
 *       mail.</li>
 * </ol>
 * Writes the "Delivery channels" section of docs/benchmarks.md.
 */
public final class ChannelBench {
  private static final int CRYPTO = Integer.getInteger("bench.crypto", 10_000);
  private static final int PUSH = Integer.getInteger("bench.push", 20_000);
  private static final int MAIL = Integer.getInteger("bench.mail", 10_000);
  private static final int RUNS = Integer.getInteger("bench.runs", 3);

  private ChannelBench() {}

  public static void main(String[] args) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair browser = g.generateKeyPair();
    byte[] auth = new byte[16];
    new SecureRandom().nextBytes(auth);
    byte[] uaPublic = WebPushCrypto.encode((ECPublicKey) browser.getPublic());
    byte[] payload = ("{\"id\":123456789,\"tenantCode\":\"222097\",\"kind\":\"published\",\"title\":\"避難所を開設しました（島田第一小学校）\","
        + "\"url\":\"https://www.city.shimada.shizuoka.jp/bousai/hinanjo.html\"}").getBytes(StandardCharsets.UTF_8);
    Vapid vapid = Vapid.of(Vapid.generate(), "mailto:ops@city.example.jp");
    int cores = Runtime.getRuntime().availableProcessors();

    List<Double> encrypt1 = new ArrayList<>();
    List<Double> encryptAll = new ArrayList<>();
    List<Double> sign1 = new ArrayList<>();
    List<Double> both1 = new ArrayList<>();
    List<Double> bothAllCached = new ArrayList<>();
    List<Double> encryptCpu = new ArrayList<>();
    List<Double> signCpu = new ArrayList<>();
    List<Double> bothCpu = new ArrayList<>();
    for (int run = 0; run <= RUNS; run++) {
      double e1 = rate(1, CRYPTO, () -> WebPushCrypto.encrypt(payload, uaPublic, auth));
      double e1Cpu = lastPerCpuSecond;
      double eAll = rate(cores, CRYPTO, () -> WebPushCrypto.encrypt(payload, uaPublic, auth));
      double s1 = rate(1, CRYPTO / 4, () -> vapid.sign("https://fcm.googleapis.com", Instant.now()));
      double s1Cpu = lastPerCpuSecond;
      double b1 = rate(1, CRYPTO / 4, () -> {
        WebPushCrypto.encrypt(payload, uaPublic, auth);
        vapid.sign("https://fcm.googleapis.com", Instant.now());
      });
      double b1Cpu = lastPerCpuSecond;
      double bAll = rate(cores, CRYPTO, () -> {
        WebPushCrypto.encrypt(payload, uaPublic, auth);
        vapid.authorization("https://fcm.googleapis.com/fcm/send/abc", Instant.now());
      });
      if (run > 0) {
        encrypt1.add(e1);
        encryptAll.add(eAll);
        sign1.add(s1);
        both1.add(b1);
        bothAllCached.add(bAll);
        encryptCpu.add(e1Cpu);
        signCpu.add(s1Cpu);
        bothCpu.add(b1Cpu);
      }
    }

    GreenMail smtp = new GreenMail(new ServerSetup(TestPlatform.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    Vertx peerVertx = Vertx.vertx();
    AtomicInteger received = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger decrypted = new AtomicInteger();
    WebPushIT.browser = browser;
    System.arraycopy(auth, 0, WebPushIT.auth, 0, 16);
    HttpServer peer = Fixtures.await(peerVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      boolean ok = "aes128gcm".equals(request.getHeader("Content-Encoding")) && request.getHeader("TTL") != null
          && request.getHeader("Authorization") != null && request.getHeader("Authorization").startsWith("vapid t=");
      if (ok && received.incrementAndGet() % 100 == 0) {
        try {
          if (WebPushIT.decrypt(body.getBytes()).contains("\"title\":\"避難情報")) {
            decrypted.incrementAndGet();
          }
        } catch (Exception | AssertionError e) {
          refused.incrementAndGet();
        }
      }
      if (!ok) {
        refused.incrementAndGet();
      }
      request.response().setStatusCode(ok ? 201 : 400).end();
    })).listen(0, "127.0.0.1"));

    List<Double> pushRates = new ArrayList<>();
    List<Double> mailRates = new ArrayList<>();
    try (TestPlatform node = TestPlatform.start(Map.of("db.poolSize", "8", "mail.smtpHost", "127.0.0.1",
        "mail.smtpPort", String.valueOf(smtp.getSmtp().getPort()), "mail.smtpTls", "none",
        "mail.from", "Tsunagu <no-reply@tsunagu.example>"))) {
      Fixtures fixtures = new Fixtures(node);
      var editor = fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
      Pool pool = node.platform().services().pool();
      for (String code : List.of("bousai", "gomi")) {
        Fixtures.await(pool.preparedQuery("INSERT INTO content_taxonomy (tenant_code, kind, code, name_ja) VALUES ($1, 'category', $2, $2)")
            .execute(Tuple.of(Fixtures.SHIMADA, code)));
      }
      String endpoint = "http://127.0.0.1:" + peer.actualPort() + "/push/";
      Fixtures.await(pool.preparedQuery("WITH a AS (INSERT INTO account (id, email, email_verified_at) "
              + "SELECT gen_random_uuid(), 'push' || i || '@bench.example', now() FROM generate_series(1, $1::int) i RETURNING id), "
              + "p AS (INSERT INTO interest_profile (account_id, tenant_code, interests, channels) "
              + "SELECT id, $2, ARRAY['bousai'], ARRAY['inbox', 'webpush'] FROM a RETURNING account_id) "
              + "INSERT INTO push_subscription (id, account_id, endpoint, p256dh, auth) "
              + "SELECT gen_random_uuid(), account_id, $3 || account_id, $4, $5 FROM p")
          .execute(Tuple.of(PUSH, Fixtures.SHIMADA, endpoint, Buffer.buffer(uaPublic), Buffer.buffer(auth))));
      Fixtures.await(pool.preparedQuery("WITH a AS (INSERT INTO account (id, email, email_verified_at) "
              + "SELECT gen_random_uuid(), 'mail' || i || '@bench.example', now() FROM generate_series(1, $1::int) i RETURNING id, email), "
              + "p AS (INSERT INTO interest_profile (account_id, tenant_code, interests, channels) "
              + "SELECT id, $2, ARRAY['gomi'], ARRAY['inbox', 'email'] FROM a RETURNING account_id) "
              + "INSERT INTO email_channel (account_id, address, confirmed_at) SELECT a.id, a.email, now() FROM a")
          .execute(Tuple.of(MAIL, Fixtures.SHIMADA)));
      for (int run = 0; run <= RUNS; run++) {
        int before = received.get();
        long changeId = publish(node, editor, "bousai", "避難情報 " + run);
        long committed = awaitMatched(pool, changeId);
        long noticeId = noticeOf(pool, changeId);
        while (counter(pool, noticeId, "webpush", "sent") < PUSH) {
          Thread.sleep(5);
        }
        double pushSeconds = (System.nanoTime() - committed) / 1e9;
        if (received.get() - before < PUSH) {
          throw new IllegalStateException("the push peer has " + (received.get() - before) + " of " + PUSH);
        }
        int mailsBefore = smtp.getReceivedMessages().length;
        changeId = publish(node, editor, "gomi", "収集日の変更 " + run);
        committed = awaitMatched(pool, changeId);
        while (smtp.getReceivedMessages().length - mailsBefore < MAIL) {
          Thread.sleep(20);
        }
        double mailSeconds = (System.nanoTime() - committed) / 1e9;
        if (run > 0) {
          pushRates.add(PUSH / pushSeconds);
          mailRates.add(MAIL / mailSeconds);
        }
      }
      if (refused.get() > 0 || decrypted.get() == 0) {
        throw new IllegalStateException("the push peer refused " + refused.get() + ", decrypted " + decrypted.get());
      }
    } finally {
      Fixtures.await(peerVertx.close());
      smtp.stop();
    }
    double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    String section = String.format(Locale.ROOT, """
        <!-- channels:start -->
        ## Delivery channels (platform-core)

        Measured %s by platform-core's `ChannelBench` on %d cores (load average %.1f at the end, shared machine), JDK %s;
        medians of %d runs after one warm-up (min–max in brackets).

        | | messages/s (wall clock) | per second of CPU time of one thread |
        |---|---|---|
        | Web Push encryption (RFC 8291 aes128gcm), one thread | %s | %s |
        | Web Push encryption, %d threads | %s | |
        | VAPID ES256 signature (RFC 8292), one thread, a new token each time | %s | %s |
        | encryption + a new VAPID signature per message, one thread | %s | %s |
        | encryption + VAPID header (token reused per push service), %d threads | %s | |
        | Web Push end to end: %,d citizens, committed notice → accepted (201) by a local push peer | %s | |
        | e-mail end to end: %,d citizens, committed notice → received by a local SMTP server (GreenMail) | %s | |

        Goals (issue 6): Web Push payload encryption ≥ 2,000 messages/s; e-mail to a local SMTP server ≥ 500/s.
        <!-- channels:end -->""", java.time.LocalDate.now(), cores, load, Runtime.version(), RUNS,
        median(encrypt1), median(encryptCpu), cores, median(encryptAll), median(sign1), median(signCpu), median(both1), median(bothCpu),
        cores, median(bothAllCached),
        PUSH, median(pushRates), MAIL, median(mailRates));
    write(section);
    System.out.println(section);
  }

  private static long publish(TestPlatform node, jp.tsunagu.platform.staff.Staff editor, String category, String title) {
    var write = Fixtures.await(node.platform().services().content().content().upsert(Author.staff(editor), Fixtures.SHIMADA,
        new PageDraft("https://www.city.shimada.shizuoka.jp/" + category + "/" + title.hashCode() + ".html", title, "",
            "<p>" + title + "</p>", category, null, List.of(), List.of(), List.of(), "ja", null), "staff"));
    return write.event().changeId();
  }

  /** The moment the matcher's checkpoint passed the change. */
  private static long awaitMatched(Pool pool, long changeId) throws InterruptedException {
    while (Fixtures.await(pool.query("SELECT last_change_id FROM notify_matcher").execute()).iterator().next().getLong(0) < changeId) {
      Thread.sleep(2);
    }
    return System.nanoTime();
  }

  private static long noticeOf(Pool pool, long changeId) {
    return Fixtures.await(pool.preparedQuery("SELECT id FROM notice WHERE change_id = $1").execute(Tuple.of(changeId)))
        .iterator().next().getLong(0);
  }

  private static int counter(Pool pool, long noticeId, String channel, String column) {
    var rows = Fixtures.await(pool.preparedQuery("SELECT " + column + " FROM notice_stats WHERE notice_id = $1 AND channel = $2")
        .execute(Tuple.of(noticeId, channel)));
    return rows.size() == 0 ? 0 : rows.iterator().next().getInteger(0);
  }

  /** Calls per second of CPU time of the last {@link #rate} (its threads' CPU time added up). */
  private static double lastPerCpuSecond;

  /** Calls per second of {@code work}, {@code total} calls spread over {@code threads}. */
  private static double rate(int threads, int total, Runnable work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    try {
      AtomicLong left = new AtomicLong(total);
      AtomicLong cpuNanos = new AtomicLong();
      long start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          long cpu = mx.getCurrentThreadCpuTime();
          while (left.getAndDecrement() > 0) {
            work.run();
          }
          cpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - cpu);
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      lastPerCpuSecond = total / (cpuNanos.get() / 1e9);
      return total / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdown();
    }
  }

  private static String median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return String.format(Locale.ROOT, "%,.0f (%,.0f–%,.0f)", sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
  }

  static void write(String section) throws Exception {
    Path doc = Path.of("..", "docs", "benchmarks.md");
    String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n\n";
    int a = text.indexOf("<!-- channels:start -->");
    int b = text.indexOf("<!-- channels:end -->");
    text = a >= 0 && b > a ? text.substring(0, a) + section + text.substring(b + "<!-- channels:end -->".length())
        : text.replace("<!-- delivery:end -->", "<!-- delivery:end -->\n\n" + section);
    Files.writeString(doc, text);
  }
}

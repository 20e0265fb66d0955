package jp.tsunagu.platform.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a DPoP proof costs at the token endpoint: client-credentials grants from the same in-process
 * driver with and without a fresh ES256 proof per request (Nimbus oauth2-oidc-sdk's proof factory,
 * as a client library makes them), rounds alternating. wrk cannot sign a proof per request, so both
 * sides use this driver; the driver's own CPU (signing the proofs, HTTP) is measured per thread and
 * left out of the node's.
 */
final class DpopCost {
  private static final int THREADS = 16;
  private static final int ROUNDS = 3;

  private DpopCost() {}

  record Round(double perSecond, double nodeMs, double postgresMs) {}

  static String measure(String base, String basic, CpuMeter meter) throws Exception {
    URI token = URI.create(base + "/oauth2/token");
    URI uri = URI.create(base);
    for (int warm = 0; warm < 2; warm++) {
      run(uri, token, basic, false, meter, 8);
      run(uri, token, basic, true, meter, 8);
    }
    List<Round> plain = new ArrayList<>();
    List<Round> dpop = new ArrayList<>();
    for (int r = 0; r < ROUNDS; r++) {
      plain.add(run(uri, token, basic, false, meter, OidcBench.SECONDS));
      dpop.add(run(uri, token, basic, true, meter, OidcBench.SECONDS));
    }
    Round p = median(plain);
    Round d = median(dpop);
    return String.format(Locale.ROOT, "DPoP at the token endpoint (client_credentials from %d threads of an in-process driver on keep-alive "
            + "connections, %d alternating rounds of %d s after two warm-up pairs, medians): without a proof %.0f grants/s, node %.2f ms "
            + "and PostgreSQL %.2f ms of CPU per grant; with a fresh ES256 proof per request %.0f grants/s, node %.2f ms and PostgreSQL "
            + "%.2f ms (the proof's signature check and its jti written once, a durable commit); %.2f× the node's CPU per grant. The "
            + "driver's threads (signing the proofs) are left out of the node's CPU but share the cores, so the rates are lower than "
            + "wrk's in the table above.%n%n",
        THREADS, ROUNDS, OidcBench.SECONDS, p.perSecond(), p.nodeMs(), p.postgresMs(), d.perSecond(), d.nodeMs(), d.postgresMs(),
        d.nodeMs() / p.nodeMs());
  }

  private static Round median(List<Round> rounds) {
    List<Round> sorted = new ArrayList<>(rounds);
    sorted.sort(java.util.Comparator.comparingDouble(Round::perSecond));
    return sorted.get(sorted.size() / 2);
  }

  private static Round run(URI base, URI token, String basic, boolean withProof, CpuMeter meter, int seconds) throws Exception {
    AtomicLong done = new AtomicLong();
    AtomicLong driverNanos = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    CpuMeter.Reading before = meter.read();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      threads.add(Thread.ofPlatform().name("bench-dpop-" + t).start(() -> {
        long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        PlainHttp http = new PlainHttp(base.getHost(), base.getPort(), false);
        try {
          DefaultDPoPProofFactory proofs = new DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256).generate(), JWSAlgorithm.ES256);
          while (System.nanoTime() < end) {
            String header = withProof ? "DPoP: " + proofs.createDPoPJWT("POST", token).serialize() : null;
            PlainHttp.Response r = http.postForm("/oauth2/token", "grant_type=client_credentials&scope=api.read", basic, header);
            if (r.status() != 200 || withProof != r.body().contains("\"DPoP\"")) {
              throw new IllegalStateException("grant failed: " + r.status() + " " + r.body());
            }
            done.incrementAndGet();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        } finally {
          http.close();
          driverNanos.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    CpuMeter.Reading used = meter.read().minus(before);
    double grants = done.get();
    double nodeSeconds = used.node() - driverNanos.get() / 1e9;
    return new Round(grants / used.seconds(), nodeSeconds * 1000 / grants, used.postgres() * 1000 / grants);
  }
}

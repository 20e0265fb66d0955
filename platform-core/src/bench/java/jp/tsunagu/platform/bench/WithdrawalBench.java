package jp.tsunagu.platform.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.consent.decision.ConsentKey;
import jp.tsunagu.platform.Services;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.circular.CircularService;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;

/**
 * The withdraw call on a three-node cluster: a member leaves an association (consent withdrawn)
 * through node 1, and the call returns only once every node has dropped its cached decisions.
 * Before each withdrawal the member's permitting decision is cached on all three nodes, so every
 * call does the full cluster-wide invalidation. Three in-process nodes (one JVM, as the
 * integration tests run them) on one embedded PostgreSQL, Hazelcast over loopback. Writes the
 * "Consent withdrawal" section of docs/benchmarks.md.
 */
public final class WithdrawalBench {
  private static final int MEMBERS = Integer.getInteger("bench.members", 300);
  private static final int WARMUP = Integer.getInteger("bench.warmup", 50);

  private WithdrawalBench() {}

  public static void main(String[] args) throws Exception {
    TestPlatform.Cluster cluster = new TestPlatform.Cluster();
    TestPlatform[] nodes = new TestPlatform[3];
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = TestPlatform.start(cluster, Map.of());
    }
    try {
      Fixtures fixtures = new Fixtures(nodes[0]);
      Services first = nodes[0].platform().services();
      fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
      Account officer = fixtures.verifiedCitizen("officer@example.jp");
      var association = Fixtures.await(first.circulars().createAssociation(Staff.SYSTEM, Fixtures.SHIMADA, "d1",
          "ベンチ町内会", officer.id()));
      String service = CircularService.serviceId(association.id());
      Set<String> items = Set.of(CircularService.ITEM_NAME, CircularService.ITEM_ADDRESS);
      List<Double> millis = new ArrayList<>();
      for (int i = 0; i < MEMBERS + WARMUP; i++) {
        Account member = fixtures.verifiedCitizen("member" + i + "@example.jp");
        String code = Fixtures.await(first.circulars().addHousehold(officer.id(), association.id(), "H" + i, "本通" + i))
            .getString("invitationCode");
        Fixtures.await(first.circulars().join(member.id(), code, items));
        ConsentKey key = new ConsentKey(Fixtures.SHIMADA, member.id().toString(), service);
        for (TestPlatform node : nodes) {
          if (!Fixtures.await(node.platform().services().consent().gate().decideItems(key, items, CircularService.PURPOSE))
              .get(CircularService.ITEM_NAME).permitted()) {
            throw new IllegalStateException("the member's consent should permit the name");
          }
        }
        long start = System.nanoTime();
        Fixtures.await(first.circulars().leave(member.id(), association.id()));
        double ms = (System.nanoTime() - start) / 1e6;
        for (TestPlatform node : nodes) {
          if (Fixtures.await(node.platform().services().consent().gate().decideItems(key, items, CircularService.PURPOSE))
              .get(CircularService.ITEM_NAME).permitted()) {
            throw new IllegalStateException("a node still permits after the withdraw call returned");
          }
        }
        if (i >= WARMUP) {
          millis.add(ms);
        }
      }
      Collections.sort(millis);
      String section = String.format(Locale.ROOT, """
          <!-- withdrawal:start -->
          ## Consent withdrawal on three nodes (platform-core)

          Measured %s by `./tsunagu bench` (platform-core's `WithdrawalBench`) on %d cores (load average at the end: %s),
          JDK %s: three platform nodes in one JVM forming a Hazelcast cluster over loopback, one embedded PostgreSQL. Each
          of %d members (after %d warm-up rounds) has the permitting decision cached on all three nodes, then leaves the
          association through node 1; the time is from the call to its return, which waits until every node has dropped
          the member's cached decisions (checked after each call: no node permits any more).

          | p50 | p99 | max |
          |---|---|---|
          | %.1f ms | %.1f ms | %.1f ms |

          Goal: p99 ≤ 500 ms.
          <!-- withdrawal:end -->""", java.time.LocalDate.now(), Runtime.getRuntime().availableProcessors(), loadAverage(),
          Runtime.version(), MEMBERS, WARMUP, percentile(millis, 0.50), percentile(millis, 0.99), millis.get(millis.size() - 1));
      write(section);
      System.out.println(section);
    } finally {
      for (int i = nodes.length - 1; i >= 0; i--) {
        nodes[i].close();
      }
    }
  }

  static double percentile(List<Double> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  static String loadAverage() throws Exception {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }

  static void write(String section) throws Exception {
    Path doc = Path.of("..", "docs", "benchmarks.md");
    String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n\n";
    int a = text.indexOf("<!-- withdrawal:start -->");
    int b = text.indexOf("<!-- withdrawal:end -->");
    text = a >= 0 && b > a ? text.substring(0, a) + section + text.substring(b + "<!-- withdrawal:end -->".length())
        : text + "\n" + section + "\n";
    Files.writeString(doc, text);
  }
}

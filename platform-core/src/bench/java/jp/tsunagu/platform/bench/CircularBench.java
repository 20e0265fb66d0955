package jp.tsunagu.platform.bench;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import jp.tsunagu.platform.Services;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.circular.CircularService;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;

/**
 * A circular sent to an association of 2,000 member households: the time until the circular and
 * all its receipt rows are committed (CircularService.send, one INSERT … SELECT). In-process node
 * on an embedded PostgreSQL; households and members are set up in bulk first. Writes the
 * "Circulars" section of docs/benchmarks.md.
 */
public final class CircularBench {
  private static final int HOUSEHOLDS = Integer.getInteger("bench.households", 2000);
  private static final int RUNS = Integer.getInteger("bench.runs", 15);

  private CircularBench() {}

  public static void main(String[] args) throws Exception {
    try (TestPlatform node = TestPlatform.start()) {
      Fixtures fixtures = new Fixtures(node);
      Services services = node.platform().services();
      fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
      Account officer = fixtures.verifiedCitizen("officer@example.jp");
      var association = Fixtures.await(services.circulars().createAssociation(
          jp.tsunagu.platform.staff.Staff.SYSTEM, Fixtures.SHIMADA, "d1", "ベンチ町内会", officer.id()));
      Pool pool = services.pool();
      List<Tuple> accounts = new ArrayList<>();
      List<Tuple> households = new ArrayList<>();
      List<Tuple> members = new ArrayList<>();
      for (int i = 0; i < HOUSEHOLDS; i++) {
        UUID account = UUID.randomUUID();
        UUID household = UUID.randomUUID();
        accounts.add(Tuple.of(account, "member" + i + "@example.jp", "会員 " + i));
        households.add(Tuple.of(household, association.id(), "H" + i, "本通" + i));
        members.add(Tuple.of(household, association.id(), account));
      }
      Fixtures.await(pool.withTransaction(tx -> tx.preparedQuery(
              "INSERT INTO account (id, email, display_name, email_verified_at) VALUES ($1, $2, $3, now())").executeBatch(accounts)
          .compose(r -> tx.preparedQuery("INSERT INTO association_household (id, association_id, label, address_block) "
              + "VALUES ($1, $2, $3, $4)").executeBatch(households))
          .compose(r -> tx.preparedQuery("INSERT INTO association_member (household_id, association_id, account_id) "
              + "VALUES ($1, $2, $3)").executeBatch(members))));
      CircularService circulars = services.circulars();
      List<Double> millis = new ArrayList<>();
      for (int i = 0; i < RUNS + 3; i++) {
        long start = System.nanoTime();
        var sent = Fixtures.await(circulars.send(officer.id(), association.id(), "お知らせ " + i, "本文", "参加しますか",
            List.of("参加", "不参加"), null));
        double ms = (System.nanoTime() - start) / 1e6;
        if (sent.getInteger("recipients") != HOUSEHOLDS) {
          throw new IllegalStateException("expected " + HOUSEHOLDS + " receipts, got " + sent);
        }
        if (i >= 3) {
          millis.add(ms);
        }
      }
      Collections.sort(millis);
      String section = String.format(Locale.ROOT, """
          <!-- circulars:start -->
          ## Circulars (platform-core)

          Measured %s by `./tsunagu bench` (platform-core's `CircularBench`) on %d cores, JDK %s, embedded PostgreSQL
          on the same machine: a circular with a question sent to an association of %,d member households, from the call
          to the commit of the circular and all %,d receipt rows (one `INSERT … SELECT`), %d runs after 3 warm-up runs.

          | median | min | max |
          |---|---|---|
          | %.1f ms | %.1f ms | %.1f ms |

          Goal: all receipts-ready rows written ≤ 1 s.
          <!-- circulars:end -->""", java.time.LocalDate.now(), Runtime.getRuntime().availableProcessors(), Runtime.version(),
          HOUSEHOLDS, HOUSEHOLDS, RUNS, millis.get(millis.size() / 2), millis.get(0), millis.get(millis.size() - 1));
      write(section);
      System.out.println(section);
    }
  }

  static void write(String section) throws Exception {
    Path doc = Path.of("..", "docs", "benchmarks.md");
    String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n\n";
    int a = text.indexOf("<!-- circulars:start -->");
    int b = text.indexOf("<!-- circulars:end -->");
    text = a >= 0 && b > a ? text.substring(0, a) + section + text.substring(b + "<!-- circulars:end -->".length())
        : text + "\n" + section + "\n";
    Files.writeString(doc, text);
  }
}

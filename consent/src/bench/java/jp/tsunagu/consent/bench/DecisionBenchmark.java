package jp.tsunagu.consent.bench;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.consent.decision.ConsentGate;
import jp.tsunagu.consent.decision.ConsentKey;
import jp.tsunagu.consent.decision.ConsentSnapshot;
import jp.tsunagu.consent.decision.Decision;
import jp.tsunagu.consent.decision.GateOptions;
import jp.tsunagu.consent.ledger.ConsentState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The gate's cached path: every link is cached before measuring; each call builds its key from
 * the request's strings, as callers do, and cycles through the links.
 */
@State(Scope.Thread)
@Threads(1)
public class DecisionBenchmark {
  static final String TENANT = "131016";
  static final String SERVICE = "circulars";
  static final String[] ITEMS = {"name", "kana", "district", "children_birth_dates"};
  static final String PURPOSE = "circular_delivery";

  @Param({"1000", "100000"})
  public int links;

  private ConsentGate gate;
  private String[] citizens;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    ConsentSnapshot given = new ConsentSnapshot(UUID.randomUUID(), ConsentState.GIVEN, 1, 1,
        Set.of("name", "district", "children_birth_dates"), Set.of(PURPOSE, "event_invitations"), null);
    gate = new ConsentGate(key -> Future.succeededFuture(given), Clock.systemUTC(),
        new GateOptions(links * 2, Duration.ofHours(1)));
    citizens = new String[links];
    for (int i = 0; i < links; i++) {
      citizens[i] = UUID.randomUUID().toString();
      gate.decide(new ConsentKey(TENANT, citizens[i], SERVICE), "name", PURPOSE);
    }
  }

  private ConsentKey nextKey() {
    int i = next;
    next = i + 1 == citizens.length ? 0 : i + 1;
    return new ConsentKey(TENANT, citizens[i], SERVICE);
  }

  /** Latency of decide() (the Future-returning API) on a cache hit. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Future<Decision> decideLatency() {
    return gate.decide(nextKey(), ITEMS[next & 3], PURPOSE);
  }

  /** Latency of decideIfCached() (the synchronous hit path). */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Decision decideIfCachedLatency() {
    return gate.decideIfCached(nextKey(), ITEMS[next & 3], PURPOSE);
  }

  /** Decisions per second on one thread (one core). */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public Future<Decision> decideThroughput() {
    return gate.decide(nextKey(), ITEMS[next & 3], PURPOSE);
  }
}

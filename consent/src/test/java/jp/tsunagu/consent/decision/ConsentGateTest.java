package jp.tsunagu.consent.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.consent.ledger.ConsentState;
import jp.tsunagu.consent.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The cache protocol, with ledger reads whose completion the test controls. */
class ConsentGateTest {
  private static final ConsentKey KEY = new ConsentKey("131016", "c1", "circulars");
  private static final ConsentSnapshot GIVEN = new ConsentSnapshot(UUID.randomUUID(), ConsentState.GIVEN, 1, 1,
      Set.of("name"), Set.of("circular_delivery"), null);
  private static final ConsentSnapshot WITHDRAWN = new ConsentSnapshot(UUID.randomUUID(), ConsentState.WITHDRAWN, 1, 1,
      Set.of("name"), Set.of("circular_delivery"), null);

  /** Each snapshot() call waits for the test to complete its promise. */
  private static final class HeldReads implements DecisionRepository {
    final Deque<Promise<ConsentSnapshot>> reads = new ArrayDeque<>();

    @Override
    public Future<ConsentSnapshot> snapshot(ConsentKey key) {
      Promise<ConsentSnapshot> p = Promise.promise();
      reads.add(p);
      return p.future();
    }
  }

  private final HeldReads repository = new HeldReads();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T00:00:00Z"));
  private final ConsentGate gate = new ConsentGate(repository, clock, new GateOptions(1000, Duration.ofMinutes(5)));

  @Test
  void aReadThatStartedBeforeAnInvalidationIsNeverCached() {
    Future<Decision> before = gate.decide(KEY, "name", "circular_delivery");
    gate.invalidateLocally(new Invalidation.Link(KEY));
    repository.reads.poll().complete(GIVEN);
    assertTrue(before.result().permitted(), "the caller that overlapped the change gets the old answer");
    assertNull(gate.decideIfCached(KEY, "name", "circular_delivery"), "but it was not installed");

    Future<Decision> after = gate.decide(KEY, "name", "circular_delivery");
    repository.reads.poll().complete(WITHDRAWN);
    assertEquals(DecisionReason.WITHDRAWN, after.result().reason());
    assertEquals(DecisionReason.WITHDRAWN, gate.decideIfCached(KEY, "name", "circular_delivery").reason());
  }

  @Test
  void aLateStaleReadCannotOverwriteAFreshOne() {
    Future<Decision> stale = gate.decide(KEY, "name", "circular_delivery");
    gate.invalidateLocally(new Invalidation.Link(KEY));
    Future<Decision> fresh = gate.decide(KEY, "name", "circular_delivery");
    Promise<ConsentSnapshot> staleRead = repository.reads.poll();
    repository.reads.poll().complete(WITHDRAWN);
    staleRead.complete(GIVEN);
    assertTrue(stale.result().permitted());
    assertFalse(fresh.result().permitted());
    assertEquals(DecisionReason.WITHDRAWN, gate.decideIfCached(KEY, "name", "circular_delivery").reason());
  }

  @Test
  void concurrentMissesShareOneReadUnlessAnInvalidationCameBetween() {
    Future<Decision> first = gate.decide(KEY, "name", "circular_delivery");
    Future<Decision> second = gate.decide(KEY, "name", "circular_delivery");
    assertEquals(1, repository.reads.size(), "the second miss joined the first read");
    gate.invalidateLocally(new Invalidation.Link(KEY));
    Future<Decision> third = gate.decide(KEY, "name", "circular_delivery");
    assertEquals(2, repository.reads.size(), "after an invalidation a miss reads again");
    repository.reads.poll().complete(GIVEN);
    repository.reads.poll().complete(WITHDRAWN);
    assertTrue(first.result().permitted());
    assertTrue(second.result().permitted());
    assertEquals(DecisionReason.WITHDRAWN, third.result().reason());
    assertEquals(DecisionReason.WITHDRAWN, gate.decideIfCached(KEY, "name", "circular_delivery").reason());
  }

  @Test
  void serviceInvalidationDropsOnlyThatService() {
    ConsentKey other = new ConsentKey("131016", "c1", "library");
    ConsentKey otherTenant = new ConsentKey("141003", "c1", "circulars");
    for (ConsentKey k : new ConsentKey[] {KEY, other, otherTenant}) {
      gate.decide(k, "name", "circular_delivery");
      repository.reads.poll().complete(GIVEN);
    }
    gate.invalidateLocally(new Invalidation.Service("131016", "circulars"));
    assertNull(gate.decideIfCached(KEY, "name", "circular_delivery"));
    assertNotNull(gate.decideIfCached(other, "name", "circular_delivery"));
    assertNotNull(gate.decideIfCached(otherTenant, "name", "circular_delivery"));
  }

  @Test
  void entriesOlderThanMaxAgeAreReloaded() {
    gate.decide(KEY, "name", "circular_delivery");
    repository.reads.poll().complete(GIVEN);
    assertNotNull(gate.decideIfCached(KEY, "name", "circular_delivery"));
    clock.advance(Duration.ofMinutes(5));
    assertNull(gate.decideIfCached(KEY, "name", "circular_delivery"));
    gate.decide(KEY, "name", "circular_delivery");
    assertEquals(1, repository.reads.size(), "a stale entry is read again");
  }

  @Test
  void aFailedReadLeavesNothingBehind() {
    Future<Decision> failed = gate.decide(KEY, "name", "circular_delivery");
    repository.reads.poll().fail(new IllegalStateException("database down"));
    assertTrue(failed.failed());
    assertEquals(0, gate.cachedLinks());
  }

  @Test
  void theCacheStaysWithinItsBound() {
    ConsentGate small = new ConsentGate(repository, Clock.systemUTC(), new GateOptions(50, Duration.ofMinutes(5)));
    for (int i = 0; i < 500; i++) {
      small.decide(new ConsentKey("131016", "c" + i, "circulars"), "name", "circular_delivery");
      repository.reads.poll().complete(GIVEN);
    }
    assertTrue(small.cachedLinks() <= 50, "cached " + small.cachedLinks());
  }
}

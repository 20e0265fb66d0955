package jp.tsunagu.consent.withdrawal;

import static jp.tsunagu.consent.testing.Await.await;
import static jp.tsunagu.consent.testing.Fixtures.DELIVERY;
import static jp.tsunagu.consent.testing.Fixtures.NAME;
import static jp.tsunagu.consent.testing.Fixtures.SERVICE;
import static jp.tsunagu.consent.testing.Fixtures.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.consent.decision.ConsentGate;
import jp.tsunagu.consent.decision.ConsentKey;
import jp.tsunagu.consent.decision.Decision;
import jp.tsunagu.consent.decision.DecisionCacheConsumer;
import jp.tsunagu.consent.decision.EventBusDecisionCacheInvalidator;
import jp.tsunagu.consent.ledger.Actor;
import jp.tsunagu.consent.ledger.Channel;
import jp.tsunagu.consent.testing.ConsentHarness;
import jp.tsunagu.consent.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Property: once withdraw() has returned, no decision started afterwards on any member permits
 * access. Each trial races readers on two members (cache warm or cold at random) against a
 * withdrawal through one of them; readers note whether the withdrawal had returned before each
 * call they start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WithdrawalRaceIT {
  private static final int TRIALS = 2000;
  private static final int READERS = 3;
  private static final long TIME_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(60);

  private ConsentHarness harness;
  private final List<ConsentModule> nodes = new ArrayList<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  @BeforeAll
  void start() {
    harness = new ConsentHarness(8);
    List<String> members = List.of("node-a", "node-b");
    var invalidator = new EventBusDecisionCacheInvalidator(harness.vertx, () -> members, Duration.ofSeconds(5));
    for (String member : members) {
      ConsentModule node = harness.module(invalidator, Clock.systemUTC());
      consumers.add(await(DecisionCacheConsumer.register(harness.vertx, member, node.gate())));
      nodes.add(node);
    }
    await(nodes.getFirst().declarations().publish(Fixtures.declaration(1)));
  }

  @AfterAll
  void stop() {
    consumers.forEach(c -> await(c.unregister()));
    harness.close();
  }

  private static Decision decide(ConsentGate gate, ConsentKey key) {
    Decision cached = gate.decideIfCached(key, NAME, DELIVERY);
    return cached != null ? cached : await(gate.decide(key, NAME, DELIVERY));
  }

  @Test
  void noAccessIsGrantedAfterWithdrawReturns() throws Exception {
    ExecutorService readers = Executors.newFixedThreadPool(READERS);
    Random random = new Random(20260501L);
    AtomicLong violations = new AtomicLong();
    AtomicLong permitsDuringRace = new AtomicLong();
    AtomicLong decisionsAfterReturn = new AtomicLong();
    long deadline = System.nanoTime() + TIME_BUDGET_NANOS;
    int trials = 0;
    try {
      while (trials < TRIALS && System.nanoTime() < deadline) {
        String citizen = "race-" + trials;
        ConsentKey key = new ConsentKey(TENANT, citizen, SERVICE);
        await(nodes.getFirst().consents().give(Fixtures.giveAll(citizen)));
        for (ConsentModule node : nodes) {
          if (random.nextBoolean()) {
            decide(node.gate(), key);
          }
        }
        AtomicBoolean returned = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
          ConsentGate gate = nodes.get(r % nodes.size()).gate();
          running.add(readers.submit(() -> {
            go.await();
            int after = 0;
            while (after < 3) {
              boolean withdrawnBefore = returned.get();
              Decision d = decide(gate, key);
              if (withdrawnBefore) {
                after++;
                decisionsAfterReturn.incrementAndGet();
                if (d.permitted()) {
                  violations.incrementAndGet();
                }
              } else if (d.permitted()) {
                permitsDuringRace.incrementAndGet();
              }
              LockSupport.parkNanos(2_000);
            }
            return null;
          }));
        }
        ConsentModule through = nodes.get(random.nextInt(nodes.size()));
        go.countDown();
        await(through.withdrawals().withdraw(new WithdrawalRequest(TENANT, citizen, SERVICE, Actor.citizen(citizen, Channel.WEB))));
        returned.set(true);
        for (Future<?> f : running) {
          f.get(60, TimeUnit.SECONDS);
        }
        trials++;
      }
    } finally {
      readers.shutdownNow();
    }
    System.out.printf("withdrawal race: %d trials, %d permits before return, %d decisions after return%n",
        trials, permitsDuringRace.get(), decisionsAfterReturn.get());
    assertTrue(trials > 0);
    assertEquals((long) trials * READERS * 3, decisionsAfterReturn.get());
    assertEquals(0, violations.get(), "decisions permitted after withdraw returned");
  }
}

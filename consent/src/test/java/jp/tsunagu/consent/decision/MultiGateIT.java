package jp.tsunagu.consent.decision;

import static jp.tsunagu.consent.testing.Await.await;
import static jp.tsunagu.consent.testing.Await.failure;
import static jp.tsunagu.consent.testing.Fixtures.CITIZEN;
import static jp.tsunagu.consent.testing.Fixtures.DELIVERY;
import static jp.tsunagu.consent.testing.Fixtures.NAME;
import static jp.tsunagu.consent.testing.Fixtures.SERVICE;
import static jp.tsunagu.consent.testing.Fixtures.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jp.tsunagu.consent.ConsentAddresses;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.ConsentException;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.consent.ledger.Actor;
import jp.tsunagu.consent.ledger.Channel;
import jp.tsunagu.consent.testing.ConsentHarness;
import jp.tsunagu.consent.testing.Fixtures;
import jp.tsunagu.consent.withdrawal.WithdrawalRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Three members, each with its own gate, invalidated over the event bus. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiGateIT {
  private static final WithdrawalRequest WITHDRAW =
      new WithdrawalRequest(TENANT, CITIZEN, SERVICE, Actor.citizen(CITIZEN, Channel.WEB));
  private final ConsentKey key = new ConsentKey(TENANT, CITIZEN, SERVICE);
  private final List<String> members = new CopyOnWriteArrayList<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private ConsentHarness harness;
  private List<ConsentModule> nodes;

  @BeforeAll
  void start() {
    harness = new ConsentHarness(6);
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  @BeforeEach
  void startMembers() {
    harness.reset();
    members.clear();
    var invalidator = new EventBusDecisionCacheInvalidator(harness.vertx, () -> List.copyOf(members), Duration.ofMillis(500));
    nodes = new ArrayList<>();
    for (String member : List.of("node-a", "node-b", "node-c")) {
      ConsentModule node = harness.module(invalidator, Clock.systemUTC());
      consumers.add(await(DecisionCacheConsumer.register(harness.vertx, member, node.gate())));
      members.add(member);
      nodes.add(node);
    }
    await(nodes.getFirst().declarations().publish(Fixtures.declaration(1)));
    await(nodes.getFirst().consents().give(Fixtures.giveAll(CITIZEN)));
  }

  @AfterEach
  void stopMembers() {
    consumers.forEach(c -> await(c.unregister()));
    consumers.clear();
  }

  private void warm(ConsentGate gate) {
    assertTrue(await(gate.decide(key, NAME, DELIVERY)).permitted());
    assertNotNull(gate.decideIfCached(key, NAME, DELIVERY));
  }

  @Test
  void withdrawalThroughOneMemberBlocksTheNextCallOnEveryOther() {
    nodes.forEach(n -> warm(n.gate()));
    ConsentGate unregistered = new ConsentGate(new PgDecisionRepository(harness.db.pool()), Clock.systemUTC(), GateOptions.defaults());
    warm(unregistered);

    await(nodes.getFirst().withdrawals().withdraw(WITHDRAW));

    for (ConsentModule node : nodes) {
      assertNull(node.gate().decideIfCached(key, NAME, DELIVERY), "cache dropped before withdraw returned");
      assertEquals(DecisionReason.WITHDRAWN, await(node.gate().decide(key, NAME, DELIVERY)).reason());
    }
    assertTrue(unregistered.decideIfCached(key, NAME, DELIVERY).permitted(),
        "a gate outside the protocol keeps its stale answer: the assertions above are not vacuous");
  }

  @Test
  void aNewConsentAndANewNoticeReachEveryMemberToo() {
    nodes.forEach(n -> warm(n.gate()));
    await(nodes.get(1).declarations().publish(Fixtures.declaration(2)));
    for (ConsentModule node : nodes) {
      assertEquals(DecisionReason.NOTICE_CHANGED, await(node.gate().decide(key, NAME, DELIVERY)).reason());
    }
    await(nodes.get(2).consents().give(Fixtures.give(CITIZEN, 2, java.util.Set.of(NAME), java.util.Set.of(DELIVERY))));
    for (ConsentModule node : nodes) {
      assertTrue(await(node.gate().decide(key, NAME, DELIVERY)).permitted());
    }
  }

  @Test
  void aMemberThatDoesNotConfirmMakesWithdrawalReportIncompleteButTheWithdrawalStands() {
    nodes.forEach(n -> warm(n.gate()));
    consumers.add(await(DecisionCacheConsumer.register(harness.vertx, "node-silent", invalidation -> {})
        .compose(c -> c.unregister().map(c))));
    MessageConsumer<JsonObject> silent = harness.vertx.eventBus().consumer(ConsentAddresses.decisionCache("node-silent"), message -> {
      // a hung member: never replies
    });
    await(silent.completion());
    consumers.add(silent);
    members.add("node-silent");

    Throwable failed = failure(nodes.getFirst().withdrawals().withdraw(WITHDRAW));
    assertEquals(ConsentError.INVALIDATION_INCOMPLETE, assertInstanceOf(ConsentException.class, failed).error());
    assertEquals("withdrawn", harness.db.queryString("SELECT state FROM consent.consent_record"));
    for (ConsentModule node : nodes) {
      assertEquals(DecisionReason.WITHDRAWN, await(node.gate().decide(key, NAME, DELIVERY)).reason());
    }
  }

  @Test
  void aListedMemberWithoutACacheCountsAsDone() {
    members.add("node-starting");
    await(nodes.getFirst().withdrawals().withdraw(WITHDRAW));
    assertEquals(DecisionReason.WITHDRAWN, await(nodes.get(1).gate().decide(key, NAME, DELIVERY)).reason());
  }
}

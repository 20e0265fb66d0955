package jp.tsunagu.consent.ledger;

import static jp.tsunagu.consent.testing.Await.await;
import static jp.tsunagu.consent.testing.Await.failure;
import static jp.tsunagu.consent.testing.Fixtures.CITIZEN;
import static jp.tsunagu.consent.testing.Fixtures.DELIVERY;
import static jp.tsunagu.consent.testing.Fixtures.DISTRICT;
import static jp.tsunagu.consent.testing.Fixtures.EVENTS;
import static jp.tsunagu.consent.testing.Fixtures.KANA;
import static jp.tsunagu.consent.testing.Fixtures.NAME;
import static jp.tsunagu.consent.testing.Fixtures.OTHER_TENANT;
import static jp.tsunagu.consent.testing.Fixtures.SERVICE;
import static jp.tsunagu.consent.testing.Fixtures.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.ConsentException;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.consent.decision.ConsentKey;
import jp.tsunagu.consent.decision.DecisionReason;
import jp.tsunagu.consent.decision.InProcessDecisionCacheInvalidator;
import jp.tsunagu.consent.testing.ConsentHarness;
import jp.tsunagu.consent.testing.Fixtures;
import jp.tsunagu.consent.testing.MutableClock;
import jp.tsunagu.consent.withdrawal.WithdrawalRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsentLedgerIT {
  private ConsentHarness harness;
  private MutableClock clock;
  private ConsentModule consent;

  @BeforeAll
  void start() {
    harness = new ConsentHarness(4);
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  @BeforeEach
  void reset() {
    harness.reset();
    clock = new MutableClock(Instant.parse("2026-05-01T09:00:00Z"));
    consent = harness.module(new InProcessDecisionCacheInvalidator(), clock);
    await(consent.declarations().publish(Fixtures.declaration(1)));
  }

  private ConsentError errorOf(io.vertx.core.Future<?> future) {
    return assertInstanceOf(ConsentException.class, failure(future)).error();
  }

  private void assertNothingRecorded() {
    assertEquals(0, harness.db.count("consent.consent_record"));
    assertEquals(0, harness.db.count("consent.consent_event"));
  }

  @Test
  void givesConsentWithOptionalItemsLeftOut() {
    ConsentRecord record = await(consent.consents().give(Fixtures.give(CITIZEN, 1, Set.of(NAME, DISTRICT), Set.of(DELIVERY))));
    assertEquals(ConsentState.GIVEN, record.state());
    assertEquals(Set.of(NAME, DISTRICT), record.items());
    assertEquals(Optional.of(record), await(consent.consents().latest(TENANT, CITIZEN, SERVICE)));
    List<ConsentEvent> events = await(consent.consents().events(CITIZEN, record.id()));
    assertEquals(1, events.size());
    assertEquals(Optional.empty(), events.getFirst().from());
    assertEquals(ConsentState.GIVEN, events.getFirst().to());
  }

  @Test
  void recordsWhoDecidedAndHow() {
    ConsentRequest paper = new ConsentRequest(TENANT, CITIZEN, SERVICE, 1, Set.of(NAME), Set.of(DELIVERY),
        Actor.staffAssisted("staff-12", Channel.PAPER_FORM, "紙-2026-0042"), Optional.empty());
    ConsentRecord byStaff = await(consent.consents().give(paper));
    assertEquals("staff_assisted", harness.db.queryString("SELECT actor_kind FROM consent.consent_record WHERE id = '" + byStaff.id() + "'"));
    assertEquals("紙-2026-0042", harness.db.queryString("SELECT evidence_ref FROM consent.consent_record WHERE id = '" + byStaff.id() + "'"));
    assertEquals("paper_form", harness.db.queryString("SELECT channel FROM consent.consent_event WHERE record_id = '" + byStaff.id() + "'"));

    ConsentRequest guardian = new ConsentRequest(TENANT, "child-1", SERVICE, 1, Set.of(NAME), Set.of(DELIVERY),
        Actor.guardian("parent-1", Channel.MOBILE_APP), Optional.empty());
    ConsentRecord forChild = await(consent.consents().give(guardian));
    assertEquals(ActorKind.GUARDIAN, forChild.actor().kind());
    assertEquals("parent-1", forChild.actor().id());
    assertEquals("child-1", forChild.citizenId());
  }

  @Test
  void aNewDecisionSupersedesTheLiveOne() {
    ConsentRecord first = await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    ConsentRecord second = await(consent.consents().give(Fixtures.give(CITIZEN, 1, Set.of(NAME), Set.of(DELIVERY))));
    ConsentRecord stored = await(consent.consents().history(CITIZEN)).getLast();
    assertEquals(first.id(), stored.id());
    assertEquals(ConsentState.SUPERSEDED, stored.state());
    assertEquals(Optional.of(second.id()), stored.supersededBy());
    assertEquals(2, harness.db.count("consent.consent_record"));
    assertEquals(3, harness.db.count("consent.consent_event"));
    ConsentRecord refusal = await(consent.consents().refuse(ConsentRequest.refusal(TENANT, CITIZEN, SERVICE, 1,
        Actor.citizen(CITIZEN, Channel.WEB))));
    assertEquals(ConsentState.REFUSED, refusal.state());
    assertEquals(1, harness.db.queryLong("SELECT count(*) FROM consent.consent_record WHERE state IN ('given', 'refused')"));
  }

  @Test
  void refusesUndeclaredItemsAndPurposesAndMissingRequiredItemsRecordingNothing() {
    assertEquals(ConsentError.UNDECLARED_ITEM,
        errorOf(consent.consents().give(Fixtures.give(CITIZEN, 1, Set.of(NAME, "my_number"), Set.of(DELIVERY)))));
    assertEquals(ConsentError.UNDECLARED_PURPOSE,
        errorOf(consent.consents().give(Fixtures.give(CITIZEN, 1, Set.of(NAME), Set.of("marketing")))));
    assertEquals(ConsentError.REQUIRED_ITEM_MISSING,
        errorOf(consent.consents().give(Fixtures.give(CITIZEN, 1, Set.of(KANA), Set.of(DELIVERY)))));
    assertEquals(ConsentError.INVALID_REQUEST,
        errorOf(consent.consents().give(Fixtures.give(CITIZEN, 1, Set.of(NAME), Set.of()))));
    assertEquals(ConsentError.UNKNOWN_SERVICE, errorOf(consent.consents().give(new ConsentRequest(TENANT, CITIZEN,
        "unknown-service", 1, Set.of(NAME), Set.of(DELIVERY), Actor.citizen(CITIZEN, Channel.WEB), Optional.empty()))));
    assertEquals(ConsentError.INVALID_REQUEST, errorOf(consent.consents().give(new ConsentRequest(TENANT, CITIZEN,
        SERVICE, 1, Set.of(NAME), Set.of(DELIVERY), Actor.citizen("someone-else", Channel.WEB), Optional.empty()))));
    assertNothingRecorded();
  }

  @Test
  void aStaleNoticeIsRefusedAndANewNoticeStopsDataUntilConsentIsGivenAgain() {
    await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    ConsentKey key = new ConsentKey(TENANT, CITIZEN, SERVICE);
    assertTrue(await(consent.gate().decide(key, NAME, DELIVERY)).permitted());

    await(consent.declarations().publish(Fixtures.declaration(2)));
    assertEquals(DecisionReason.NOTICE_CHANGED, await(consent.gate().decide(key, NAME, DELIVERY)).reason());
    assertEquals(ConsentError.STALE_NOTICE_VERSION, errorOf(consent.consents().give(Fixtures.giveAll("citizen-2"))));
    assertEquals(ConsentError.NOTICE_VERSION_NOT_INCREASING,
        errorOf(consent.declarations().publish(Fixtures.declaration(2))));
    assertEquals(1, harness.db.count("consent.consent_record"));

    await(consent.consents().give(Fixtures.give(CITIZEN, 2, Set.of(NAME), Set.of(DELIVERY))));
    assertTrue(await(consent.gate().decide(key, NAME, DELIVERY)).permitted());
  }

  @Test
  void consentExpiresByTimeAndTheLedgerCatchesUp() {
    ConsentRecord record = await(consent.consents().give(new ConsentRequest(TENANT, CITIZEN, SERVICE, 1, Set.of(NAME),
        Set.of(DELIVERY), Actor.citizen(CITIZEN, Channel.WEB), Optional.of(Duration.ofDays(365)))));
    ConsentKey key = new ConsentKey(TENANT, CITIZEN, SERVICE);
    assertTrue(await(consent.gate().decide(key, NAME, DELIVERY)).permitted());
    clock.advance(Duration.ofDays(365));
    assertEquals(DecisionReason.EXPIRED, await(consent.gate().decide(key, NAME, DELIVERY)).reason());
    assertEquals(1, await(consent.consents().expireDue(100)));
    assertEquals(ConsentState.EXPIRED, await(consent.consents().latest(TENANT, CITIZEN, SERVICE)).orElseThrow().state());
    assertEquals(0, await(consent.consents().expireDue(100)));
    assertEquals(2, await(consent.consents().events(CITIZEN, record.id())).size());
  }

  @Test
  void consentInOneTenantGrantsNothingInAnother() {
    await(consent.declarations().publish(Fixtures.declaration(OTHER_TENANT, SERVICE, 1, Optional.empty())));
    await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    assertTrue(await(consent.gate().decide(TENANT, CITIZEN, SERVICE, NAME, DELIVERY)).permitted());
    assertEquals(DecisionReason.NO_CONSENT, await(consent.gate().decide(OTHER_TENANT, CITIZEN, SERVICE, NAME, DELIVERY)).reason());
    assertEquals(ConsentError.CONSENT_NOT_FOUND, errorOf(consent.withdrawals().withdraw(
        new WithdrawalRequest(OTHER_TENANT, CITIZEN, SERVICE, Actor.citizen(CITIZEN, Channel.WEB)))));
    assertEquals(ConsentError.CONSENT_NOT_FOUND, errorOf(consent.consents().events("intruder",
        await(consent.consents().latest(TENANT, CITIZEN, SERVICE)).orElseThrow().id())));
  }

  @Test
  void afterWithdrawalTheOldRecordCannotChangeAndOnlyANewConsentRestoresAccess() {
    ConsentRecord given = await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    await(consent.withdrawals().withdraw(new WithdrawalRequest(TENANT, CITIZEN, SERVICE, Actor.citizen(CITIZEN, Channel.WEB))));
    ConsentRecord withdrawn = await(consent.consents().latest(TENANT, CITIZEN, SERVICE)).orElseThrow();
    assertEquals(given.id(), withdrawn.id());
    assertEquals(ConsentState.WITHDRAWN, withdrawn.state());
    assertFalse(await(consent.gate().decide(TENANT, CITIZEN, SERVICE, NAME, DELIVERY)).permitted());

    ConsentRecord again = await(consent.consents().give(Fixtures.give(CITIZEN, 1, Set.of(NAME), Set.of(EVENTS))));
    assertEquals(ConsentState.WITHDRAWN, await(consent.consents().history(CITIZEN)).getLast().state(),
        "a withdrawn record stays withdrawn; the new consent is a new record");
    assertTrue(await(consent.gate().decide(TENANT, CITIZEN, SERVICE, NAME, EVENTS)).permitted());
    assertFalse(await(consent.gate().decide(TENANT, CITIZEN, SERVICE, NAME, DELIVERY)).permitted());
    assertFalse(again.id().equals(given.id()));
  }

  @Test
  void concurrentDecisionsAreAllRecordedAndLeaveExactlyOneLiveRecord() {
    List<io.vertx.core.Future<ConsentRecord>> racing = java.util.stream.IntStream.range(0, 8)
        .mapToObj(i -> consent.consents().give(Fixtures.giveAll(CITIZEN))).toList();
    io.vertx.core.Future.join(racing).toCompletionStage().toCompletableFuture().exceptionally(e -> null).join();
    for (var f : racing) {
      // a first decision that loses the race for the link is made again, after the one that won
      assertTrue(f.succeeded(), String.valueOf(f.cause()));
    }
    assertEquals(1, harness.db.queryLong("SELECT count(*) FROM consent.consent_record WHERE state = 'given'"));
    long records = harness.db.count("consent.consent_record");
    assertEquals(8, records, "every decision is recorded");
    assertEquals(records + records - 1, harness.db.count("consent.consent_event"),
        "one creation event per record and one supersession event for all but the live one");
  }

  @Test
  void endingAServiceWithdrawsItsGivenConsentsAsThePlatformAndLeavesRefusalsAlone() {
    ConsentRecord a = await(consent.consents().give(Fixtures.give("citizen-a", 1, Set.of(NAME), Set.of(DELIVERY))));
    await(consent.consents().give(Fixtures.give("citizen-b", 1, Set.of(NAME), Set.of(DELIVERY))));
    await(consent.consents().refuse(ConsentRequest.refusal(TENANT, "citizen-c", SERVICE, 1,
        Actor.citizen("citizen-c", Channel.WEB))));
    assertTrue(await(consent.gate().decide(TENANT, "citizen-a", SERVICE, NAME, DELIVERY)).permitted());

    assertEquals(2, await(consent.consents().endService(TENANT, SERVICE)));
    assertEquals(ConsentState.WITHDRAWN, await(consent.consents().latest(TENANT, "citizen-a", SERVICE)).orElseThrow().state());
    assertEquals(ConsentState.WITHDRAWN, await(consent.consents().latest(TENANT, "citizen-b", SERVICE)).orElseThrow().state());
    assertEquals(ConsentState.REFUSED, await(consent.consents().latest(TENANT, "citizen-c", SERVICE)).orElseThrow().state());
    assertEquals(DecisionReason.WITHDRAWN, await(consent.gate().decide(TENANT, "citizen-a", SERVICE, NAME, DELIVERY)).reason(),
        "cached decisions were dropped");
    List<ConsentEvent> events = await(consent.consents().events("citizen-a", a.id()));
    assertEquals(ActorKind.SYSTEM, events.get(events.size() - 1).actor().kind(), "recorded as the platform's doing");
    assertEquals(0, await(consent.consents().endService(TENANT, SERVICE)), "ending it again changes nothing");
  }
}

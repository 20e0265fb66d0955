package jp.tsunagu.consent.withdrawal;

import static jp.tsunagu.consent.testing.Await.await;
import static jp.tsunagu.consent.testing.Await.failure;
import static jp.tsunagu.consent.testing.Fixtures.CITIZEN;
import static jp.tsunagu.consent.testing.Fixtures.DELIVERY;
import static jp.tsunagu.consent.testing.Fixtures.NAME;
import static jp.tsunagu.consent.testing.Fixtures.SERVICE;
import static jp.tsunagu.consent.testing.Fixtures.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.ConsentException;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.consent.decision.ConsentKey;
import jp.tsunagu.consent.decision.DecisionReason;
import jp.tsunagu.consent.decision.InProcessDecisionCacheInvalidator;
import jp.tsunagu.consent.jose.JwsVerifier;
import jp.tsunagu.consent.ledger.Actor;
import jp.tsunagu.consent.ledger.Channel;
import jp.tsunagu.consent.ledger.ConsentRecord;
import jp.tsunagu.consent.ledger.ConsentState;
import jp.tsunagu.consent.testing.ConsentHarness;
import jp.tsunagu.consent.testing.Fixtures;
import jp.tsunagu.consent.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WithdrawalIT {
  private static final WithdrawalRequest BY_CITIZEN =
      new WithdrawalRequest(TENANT, CITIZEN, SERVICE, Actor.citizen(CITIZEN, Channel.MOBILE_APP));
  private ConsentHarness harness;
  private ConsentModule consent;
  private final ConsentKey key = new ConsentKey(TENANT, CITIZEN, SERVICE);

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
    consent = harness.module(new InProcessDecisionCacheInvalidator(), new MutableClock(Instant.parse("2026-05-01T09:00:00Z")));
    await(consent.declarations().publish(Fixtures.declaration(1)));
  }

  @Test
  @SuppressWarnings("unchecked")
  void withdrawalStopsDataRevokesTokensAndQueuesASignedSecurityEventToken() throws Exception {
    ConsentRecord given = await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    assertTrue(await(consent.gate().decide(key, NAME, DELIVERY)).permitted());

    WithdrawalResult result = await(consent.withdrawals().withdraw(BY_CITIZEN));

    assertTrue(result.changed());
    assertEquals(ConsentState.WITHDRAWN, result.record().state());
    assertEquals(DecisionReason.WITHDRAWN, await(consent.gate().decide(key, NAME, DELIVERY)).reason());
    assertEquals(List.of(TENANT + "/" + SERVICE + "/" + CITIZEN), harness.revocations);
    assertEquals(2, harness.db.count("consent.consent_event"));
    assertEquals("mobile_app", harness.db.queryString("SELECT channel FROM consent.consent_event WHERE to_state = 'withdrawn'"));

    List<OutboxEntry> outbox = await(new PgSetOutboxRepository().byConsent(harness.db.pool(), given.id()));
    assertEquals(1, outbox.size());
    OutboxEntry entry = outbox.getFirst();
    assertEquals(OutboxStatus.PENDING, entry.status());
    assertEquals(Optional.of(entry.jti()), result.setJti());
    assertEquals("https://circulars.example.jp/set", entry.endpoint().orElseThrow().toString());

    JWTClaimsSet set = new JwsVerifier(harness.keys, SecurityEventTokens.TYPE, ConsentHarness.ISSUER,
        Set.of("iss", "iat", "jti", "aud", "events")).verify(entry.setJws());
    assertEquals(List.of("circulars-client"), set.getAudience());
    assertEquals(entry.jti().toString(), set.getJWTID());
    Map<String, Object> event = (Map<String, Object>) set.getJSONObjectClaim("events").get(SecurityEventTokens.CONSENT_WITHDRAWN);
    assertEquals(Map.of("format", "opaque", "id", "pairwise-circulars-" + CITIZEN), event.get("subject"));
    assertEquals(given.id().toString(), event.get("consent_id"));
    assertFalse(set.toString().contains("\"" + CITIZEN + "\""), "the platform's own citizen id is not sent");
  }

  @Test
  void withdrawingAgainSucceedsAndRepeatsOnlyTheSideEffects() {
    await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    await(consent.withdrawals().withdraw(BY_CITIZEN));
    WithdrawalResult again = await(consent.withdrawals().withdraw(BY_CITIZEN));
    assertFalse(again.changed());
    assertEquals(ConsentState.WITHDRAWN, again.record().state());
    assertEquals(2, harness.revocations.size());
    assertEquals(1, harness.db.count("consent.set_outbox"));
    assertEquals(2, harness.db.count("consent.consent_event"));
  }

  @Test
  void aFailedTokenRevocationIsReportedButTheWithdrawalStandsAndCanBeRetried() {
    await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    harness.revocationFailure.set(new IllegalStateException("authorisation server unavailable"));
    Throwable failed = failure(consent.withdrawals().withdraw(BY_CITIZEN));
    assertEquals(ConsentError.TOKEN_REVOCATION_FAILED, assertInstanceOf(ConsentException.class, failed).error());
    assertFalse(await(consent.gate().decide(key, NAME, DELIVERY)).permitted(), "data stopped all the same");
    harness.revocationFailure.set(null);
    assertFalse(await(consent.withdrawals().withdraw(BY_CITIZEN)).changed());
    assertEquals(1, harness.revocations.size());
  }

  @Test
  void aServiceWithoutAReceiverKeepsItsTokenUndelivered() {
    await(consent.declarations().publish(Fixtures.declaration(TENANT, "handbook", 1, Optional.empty())));
    await(consent.consents().give(new jp.tsunagu.consent.ledger.ConsentRequest(TENANT, CITIZEN, "handbook", 1,
        Set.of(NAME), Set.of(DELIVERY), Actor.citizen(CITIZEN, Channel.WEB), Optional.empty())));
    await(consent.withdrawals().withdraw(new WithdrawalRequest(TENANT, CITIZEN, "handbook", Actor.citizen(CITIZEN, Channel.WEB))));
    assertEquals("no_endpoint", harness.db.queryString("SELECT status FROM consent.set_outbox"));
  }

  @Test
  void aFailureLateInTheWithdrawalTransactionLeavesTheConsentAsItWas() {
    await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    SetOutboxRepository failingOutbox = new SetOutboxRepository() {
      private final PgSetOutboxRepository pg = new PgSetOutboxRepository();

      @Override
      public io.vertx.core.Future<Void> insert(io.vertx.sqlclient.SqlClient client, OutboxEntry entry) {
        return pg.insert(client, entry).compose(v -> io.vertx.core.Future.failedFuture(new IllegalStateException("disk full")));
      }

      @Override
      public io.vertx.core.Future<List<OutboxEntry>> claimDue(io.vertx.sqlclient.SqlClient client, Instant now,
          Instant leaseUntil, int limit) {
        return pg.claimDue(client, now, leaseUntil, limit);
      }

      @Override
      public io.vertx.core.Future<Void> markDelivered(io.vertx.sqlclient.SqlClient client, java.util.UUID id, Instant at) {
        return pg.markDelivered(client, id, at);
      }

      @Override
      public io.vertx.core.Future<Void> markRetry(io.vertx.sqlclient.SqlClient client, java.util.UUID id, Instant next, String error) {
        return pg.markRetry(client, id, next, error);
      }

      @Override
      public io.vertx.core.Future<Void> markFailed(io.vertx.sqlclient.SqlClient client, java.util.UUID id, String error) {
        return pg.markFailed(client, id, error);
      }

      @Override
      public io.vertx.core.Future<List<OutboxEntry>> byConsent(io.vertx.sqlclient.SqlClient client, java.util.UUID consentId) {
        return pg.byConsent(client, consentId);
      }
    };
    var invalidator = new InProcessDecisionCacheInvalidator().register(consent.gate());
    var withdrawals = new WithdrawalService(harness.db.pool(), new jp.tsunagu.consent.ledger.PgConsentRepository(),
        new jp.tsunagu.consent.declaration.PgDeclarationRepository(), failingOutbox, new SecurityEventTokens(harness.issuer),
        invalidator, (t, s, c) -> io.vertx.core.Future.succeededFuture(), (t, s, c) -> io.vertx.core.Future.succeededFuture("sub"),
        java.time.Clock.systemUTC());

    failure(withdrawals.withdraw(BY_CITIZEN));

    assertEquals("given", harness.db.queryString("SELECT state FROM consent.consent_record"));
    assertEquals(1, harness.db.queryLong("SELECT version FROM consent.consent_record"));
    assertEquals(1, harness.db.count("consent.consent_event"));
    assertEquals(0, harness.db.count("consent.set_outbox"));
    assertTrue(await(consent.gate().decide(key, NAME, DELIVERY)).permitted());
  }

  @Test
  void badWithdrawalsChangeNothing() {
    await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    assertEquals(ConsentError.INVALID_REQUEST, assertInstanceOf(ConsentException.class, failure(consent.withdrawals()
        .withdraw(new WithdrawalRequest(TENANT, CITIZEN, SERVICE, Actor.citizen("someone-else", Channel.WEB))))).error());
    assertEquals(ConsentError.CONSENT_NOT_FOUND, assertInstanceOf(ConsentException.class, failure(consent.withdrawals()
        .withdraw(new WithdrawalRequest(TENANT, CITIZEN, "library", Actor.citizen(CITIZEN, Channel.WEB))))).error());
    assertEquals("given", harness.db.queryString("SELECT state FROM consent.consent_record"));
    assertEquals(0, harness.db.count("consent.set_outbox"));
    assertEquals(1, harness.db.count("consent.consent_event"));
    assertTrue(harness.revocations.isEmpty());
  }
}

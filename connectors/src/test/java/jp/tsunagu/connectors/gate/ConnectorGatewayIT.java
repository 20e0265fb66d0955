package jp.tsunagu.connectors.gate;

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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import jp.tsunagu.connectors.registry.ConnectorRegistry;
import jp.tsunagu.connectors.spi.ConnectorConfig;
import jp.tsunagu.connectors.testing.RecordingConnectorFactory;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.ConsentException;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.consent.accesslog.AccessKind;
import jp.tsunagu.consent.accesslog.AccessLogEntry;
import jp.tsunagu.consent.decision.InProcessDecisionCacheInvalidator;
import jp.tsunagu.consent.ledger.Actor;
import jp.tsunagu.consent.ledger.Channel;
import jp.tsunagu.consent.testing.ConsentHarness;
import jp.tsunagu.consent.testing.Fixtures;
import jp.tsunagu.consent.withdrawal.WithdrawalRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectorGatewayIT {
  private static final Map<String, Object> PROFILE = Map.of(
      NAME, "山田 花子", KANA, "やまだ はなこ", DISTRICT, "神田三丁目", "library_card_number", "0012345");

  private ConsentHarness harness;
  private ConnectorRegistry registry;
  private ConsentModule consent;
  private ConnectorGateway gateway;
  /** The item sets the data source was asked for. */
  private final List<Set<String>> sourceReads = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() {
    harness = new ConsentHarness(4);
    registry = ConnectorRegistry.discover(harness.vertx, getClass().getClassLoader(), id -> ConnectorConfig.empty());
  }

  @AfterAll
  void stop() {
    registry.close();
    harness.close();
  }

  @BeforeEach
  void reset() {
    harness.reset();
    sourceReads.clear();
    RecordingConnectorFactory.DELIVERED.clear();
    consent = harness.module(new InProcessDecisionCacheInvalidator(), Clock.systemUTC());
    CitizenDataSource source = (tenant, citizen, service, items) -> {
      sourceReads.add(Set.copyOf(items));
      return Future.succeededFuture(new CitizenData("pairwise-" + citizen, PROFILE));
    };
    gateway = new ConnectorGateway(consent.gate(), consent.accessLog(), source, registry);
    await(consent.declarations().publish(Fixtures.declaration(1)));
  }

  private static DataRequest request(String tenant, String purpose, Set<String> items) {
    return new DataRequest(tenant, CITIZEN, SERVICE, purpose, items);
  }

  private void assertDeniedWithNothingReleased(Future<?> attempt) {
    assertEquals(ConsentError.CONSENT_DENIED, assertInstanceOf(ConsentException.class, failure(attempt)).error());
    assertTrue(RecordingConnectorFactory.DELIVERED.isEmpty(), "the connector saw nothing");
    assertTrue(sourceReads.isEmpty(), "nothing was even read");
    assertEquals(0, harness.db.count("consent.access_log"));
  }

  @Test
  void aPushCarriesOnlyTheConsentedItemsAndIsLogged() {
    await(consent.consents().give(Fixtures.give(CITIZEN, 1, Set.of(NAME, DISTRICT), Set.of(DELIVERY))));

    await(gateway.push(request(TENANT, DELIVERY, Set.of(NAME, KANA, DISTRICT))));

    GatedCitizenData delivered = RecordingConnectorFactory.DELIVERED.getFirst();
    assertEquals(Set.of(NAME, DISTRICT), delivered.items());
    assertEquals(Optional.of("神田三丁目"), delivered.string(DISTRICT));
    assertEquals("pairwise-" + CITIZEN, delivered.serviceSubject());
    assertEquals(List.of(Set.of(NAME, DISTRICT)), sourceReads, "kana was never read");

    List<AccessLogEntry> log = await(consent.accessLog().entries(CITIZEN, 1, 10));
    assertEquals(1, log.size());
    assertEquals(AccessKind.PUSH, log.getFirst().kind());
    assertEquals(List.of(DISTRICT, NAME), log.getFirst().items());
    assertEquals(DELIVERY, log.getFirst().purpose());
    assertEquals(Optional.of(delivered.consentId()), log.getFirst().consentId());
    assertEquals(1, delivered.accessLogSeq());
  }

  @Test
  void aReadIsLoggedAsARead() {
    await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    GatedCitizenData data = await(gateway.read(request(TENANT, EVENTS, Set.of(NAME))));
    assertEquals(Set.of(NAME), data.items());
    assertEquals(AccessKind.READ, await(consent.accessLog().entries(CITIZEN, 1, 10)).getFirst().kind());
    assertTrue(await(consent.accessLog().verify(CITIZEN)).intact());
  }

  @Test
  void nothingFlowsWithoutConsent() {
    assertDeniedWithNothingReleased(gateway.push(request(TENANT, DELIVERY, Set.of(NAME))));
  }

  @Test
  void nothingFlowsForAPurposeNotConsentedTo() {
    await(consent.consents().give(Fixtures.give(CITIZEN, 1, Set.of(NAME), Set.of(DELIVERY))));
    assertDeniedWithNothingReleased(gateway.push(request(TENANT, EVENTS, Set.of(NAME))));
  }

  @Test
  void nothingFlowsForItemsOnlyLeftOut() {
    await(consent.consents().give(Fixtures.give(CITIZEN, 1, Set.of(NAME), Set.of(DELIVERY))));
    assertDeniedWithNothingReleased(gateway.read(request(TENANT, DELIVERY, Set.of(KANA, "library_card_number"))));
  }

  @Test
  void nothingFlowsAcrossTenants() {
    await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    assertDeniedWithNothingReleased(gateway.push(request(OTHER_TENANT, DELIVERY, Set.of(NAME))));
  }

  @Test
  void nothingFlowsAfterWithdrawal() {
    await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    await(gateway.push(request(TENANT, DELIVERY, Set.of(NAME))));
    await(consent.withdrawals().withdraw(new WithdrawalRequest(TENANT, CITIZEN, SERVICE, Actor.citizen(CITIZEN, Channel.WEB))));
    RecordingConnectorFactory.DELIVERED.clear();
    sourceReads.clear();
    harness.db.execute("TRUNCATE consent.access_log, consent.access_log_head");
    assertDeniedWithNothingReleased(gateway.push(request(TENANT, DELIVERY, Set.of(NAME))));
  }

  @Test
  void aServiceWithoutAConnectorCannotBePushedTo() {
    await(consent.declarations().publish(Fixtures.declaration(TENANT, "library", 1, Optional.empty())));
    var push = gateway.push(new DataRequest(TENANT, CITIZEN, "library", DELIVERY, Set.of(NAME)));
    assertEquals(ConsentError.UNKNOWN_SERVICE, assertInstanceOf(ConsentException.class, failure(push)).error());
  }
}

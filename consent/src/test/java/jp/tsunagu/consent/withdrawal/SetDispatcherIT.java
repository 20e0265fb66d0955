package jp.tsunagu.consent.withdrawal;

import static jp.tsunagu.consent.testing.Await.await;
import static jp.tsunagu.consent.testing.Fixtures.CITIZEN;
import static jp.tsunagu.consent.testing.Fixtures.SERVICE;
import static jp.tsunagu.consent.testing.Fixtures.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.consent.decision.InProcessDecisionCacheInvalidator;
import jp.tsunagu.consent.ledger.Actor;
import jp.tsunagu.consent.ledger.Channel;
import jp.tsunagu.consent.testing.ConsentHarness;
import jp.tsunagu.consent.testing.Fixtures;
import jp.tsunagu.consent.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The outbox against a real HTTP receiver on a random port. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SetDispatcherIT {
  private static final int DROP_CONNECTION = -1;
  private ConsentHarness harness;
  private HttpServer receiver;
  private final AtomicInteger status = new AtomicInteger(202);
  private final List<String> received = new CopyOnWriteArrayList<>();
  private MutableClock clock;
  private ConsentModule consent;
  private SetDispatcher dispatcher;

  @BeforeAll
  void start() {
    harness = new ConsentHarness(4);
    receiver = await(harness.vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      if (status.get() == DROP_CONNECTION) {
        request.connection().close();
        return;
      }
      if ("application/secevent+jwt".equals(request.getHeader("Content-Type"))) {
        received.add(body.toString());
      }
      request.response().setStatusCode(status.get()).end(status.get() == 400 ? "{\"err\":\"invalid_audience\"}" : "");
    })).listen(0, "localhost"));
  }

  @AfterAll
  void stop() {
    await(receiver.close());
    harness.close();
  }

  @BeforeEach
  void reset() {
    harness.reset();
    received.clear();
    status.set(202);
    clock = new MutableClock(Instant.parse("2026-05-01T09:00:00Z"));
    consent = harness.module(new InProcessDecisionCacheInvalidator(), clock);
    URI endpoint = URI.create("http://localhost:" + receiver.actualPort() + "/set");
    await(consent.declarations().publish(Fixtures.declaration(TENANT, SERVICE, 1, Optional.of(endpoint))));
    await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    await(consent.withdrawals().withdraw(new WithdrawalRequest(TENANT, CITIZEN, SERVICE, Actor.citizen(CITIZEN, Channel.WEB))));
    dispatcher = consent.setDispatcher(new WebClientSetSender(WebClient.create(harness.vertx), Duration.ofSeconds(5)),
        new RetryPolicy(Duration.ofSeconds(30), Duration.ofMinutes(10), 3, () -> 0.0));
  }

  private String column(String column) {
    return harness.db.queryString("SELECT " + column + " FROM consent.set_outbox");
  }

  @Test
  void deliversOnceAndMarksDelivered() {
    assertEquals(new SetDispatcher.DispatchReport(1, 0, 0, 0), await(dispatcher.dispatchDue()));
    assertEquals(1, received.size());
    assertEquals(column("set_jws"), received.getFirst());
    assertEquals("delivered", column("status"));
    assertEquals(new SetDispatcher.DispatchReport(0, 0, 0, 0), await(dispatcher.dispatchDue()));
    assertEquals(1, received.size());
  }

  @Test
  void retriesWithBackoffThenGivesUp() {
    status.set(503);
    assertEquals(new SetDispatcher.DispatchReport(0, 1, 0, 0), await(dispatcher.dispatchDue()));
    assertEquals("pending", column("status"));
    assertEquals("1", column("attempts"));
    assertTrue(column("last_error").startsWith("HTTP 503"));
    assertEquals(Instant.parse("2026-05-01T09:00:15Z"),
        Instant.parse(harness.db.queryString("SELECT to_char(next_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM consent.set_outbox")));
    assertEquals(new SetDispatcher.DispatchReport(0, 0, 0, 0), await(dispatcher.dispatchDue()), "not due yet");

    clock.advance(Duration.ofSeconds(15));
    await(dispatcher.dispatchDue());
    assertEquals("2", column("attempts"));
    clock.advance(Duration.ofSeconds(30));
    await(dispatcher.dispatchDue());
    assertEquals("failed", column("status"));
    assertTrue(column("last_error").startsWith("gave up after 3 attempts"));
    assertEquals(3, received.size());
  }

  @Test
  void aRejectionIsFinal() {
    status.set(400);
    assertEquals(new SetDispatcher.DispatchReport(0, 0, 1, 0), await(dispatcher.dispatchDue()));
    assertEquals("failed", column("status"));
    assertTrue(column("last_error").contains("invalid_audience"));
  }

  @Test
  void aDroppedConnectionIsRetried() {
    status.set(DROP_CONNECTION);
    assertEquals(new SetDispatcher.DispatchReport(0, 1, 0, 0), await(dispatcher.dispatchDue()));
    assertEquals("pending", column("status"));
  }
}

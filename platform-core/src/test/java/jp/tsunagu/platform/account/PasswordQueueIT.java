package jp.tsunagu.platform.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.api.client.CitizenApi;
import jp.tsunagu.api.invoker.ApiException;
import jp.tsunagu.api.model.SignInRequest;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node whose password queue is full refuses one more sign-in at once: 503, a problem document,
 * Retry-After; and signs the citizen in once the queue has room again. One password worker and a
 * queue of one, held by {@link Fixtures#slowPasswordCheck}.
 */
class PasswordQueueIT {
  static TestPlatform node;
  static Fixtures fixtures;

  @BeforeAll
  static void start() {
    node = TestPlatform.start(Map.of("security.passwordWorkers", "1", "security.passwordQueueLimit", "1"));
    fixtures = new Fixtures(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aSignInBeyondTheQueueIsRefusedAtOnceWithRetryAfter() throws Exception {
    String email = fixtures.verifiedCitizen("queue@example.jp").email();
    CitizenApi api = new CitizenApi(node.client());
    Future<Boolean> holding = fixtures.slowPasswordCheck();

    long t0 = System.nanoTime();
    ApiException busy = assertThrows(ApiException.class,
        () -> api.signIn(new SignInRequest().email(email).password(Fixtures.PASSWORD)));
    long tookMillis = (System.nanoTime() - t0) / 1_000_000;
    assertFalse(holding.isComplete(), "the queue was still full when the sign-in was refused");
    assertEquals(503, busy.getCode());
    assertTrue(busy.getResponseHeaders().firstValue("content-type").orElse("").startsWith("application/problem+json"));
    assertTrue(busy.getResponseBody().contains("/problems/password-busy"), busy.getResponseBody());
    assertEquals("1", busy.getResponseHeaders().firstValue("retry-after").orElse(""));
    assertTrue(tookMillis < 5_000, "refused without waiting for the worker: " + tookMillis + " ms");

    assertFalse(holding.await(60, TimeUnit.SECONDS));
    assertEquals(email, api.signIn(new SignInRequest().email(email).password(Fixtures.PASSWORD)).getEmail());
  }
}

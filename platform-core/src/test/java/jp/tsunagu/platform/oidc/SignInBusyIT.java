package jp.tsunagu.platform.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A sign-in form sent while the node's password queue is full comes back at once as the same form
 * (503) saying so, with the authorization flow where it was; sent again once the queue has room, it
 * signs the citizen in and the flow goes on to its code. One password worker and a queue of one,
 * held by {@link Fixtures#slowPasswordCheck}.
 */
class SignInBusyIT {
  static final String REDIRECT = "http://127.0.0.1:9/cb";
  static TestPlatform node;
  static Fixtures fixtures;
  static Rp rp;

  @BeforeAll
  static void start() throws Exception {
    node = OidcTestNode.start(Map.of("security.passwordWorkers", "1", "security.passwordQueueLimit", "1"));
    fixtures = new Fixtures(node);
    rp = OidcTestNode.confidentialRp(node, REDIRECT);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void theSignInFormComesBackAtOnceAndTheFlowGoesOnAfterwards() throws Exception {
    String email = fixtures.verifiedCitizen("busy-flow@example.jp").email();
    Browserless browser = new Browserless(node.baseUrl());
    HttpResponse<String> page = browser.authorize(URI.create(rp.authorizeUrl(rp.standardQuery(null))));
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("/sign-in\""), "the sign-in page");

    Future<Boolean> holding = fixtures.slowPasswordCheck();
    HttpResponse<String> busy = browser.signIn(page, email, Fixtures.PASSWORD);
    assertFalse(holding.isComplete(), "the queue was still full when the form came back");
    assertEquals(503, busy.statusCode());
    assertEquals("1", busy.headers().firstValue("retry-after").orElse(""));
    assertTrue(busy.body().contains("/sign-in\""), "the same form again");
    assertTrue(busy.body().contains("混み合っています") || busy.body().contains("busy right now"), busy.body());
    assertTrue(busy.body().contains(email), "the typed address survives");

    assertFalse(holding.await(60, TimeUnit.SECONDS));
    HttpResponse<String> after = browser.signIn(busy, email, Fixtures.PASSWORD);
    if (after.statusCode() == 200) {
      after = browser.consent(after, true, "email", "profile", "municipality", "address");
    }
    URI back = Browserless.location(after);
    assertNotNull(back, "redirected back to the service: " + after.statusCode());
    assertTrue(back.toString().startsWith(REDIRECT) && back.getQuery().contains("code="), back.toString());
  }
}

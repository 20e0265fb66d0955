package jp.tsunagu.consent.withdrawal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void doublesFromInitialUpToTheCapWithJitterInTheUpperHalf() {
    RetryPolicy low = new RetryPolicy(Duration.ofSeconds(30), Duration.ofMinutes(10), 8, () -> 0.0);
    RetryPolicy high = new RetryPolicy(Duration.ofSeconds(30), Duration.ofMinutes(10), 8, () -> 0.999_999_9);
    assertEquals(Duration.ofSeconds(15), low.delayAfter(1));
    assertEquals(Duration.ofSeconds(30), low.delayAfter(2));
    assertEquals(Duration.ofSeconds(60), low.delayAfter(3));
    assertEquals(Duration.ofMinutes(5), low.delayAfter(6), "capped at 10 min, halved by zero jitter");
    assertEquals(Duration.ofMinutes(5), low.delayAfter(1_000_000));
    assertTrue(high.delayAfter(1).compareTo(Duration.ofSeconds(30)) < 0);
    assertTrue(high.delayAfter(1).compareTo(Duration.ofSeconds(29)) > 0);
    assertTrue(high.delayAfter(50).compareTo(Duration.ofMinutes(10)) < 0);
  }

  @Test
  void givesUpAfterMaxAttempts() {
    RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), 3, () -> 0.5);
    assertFalse(policy.exhausted(2));
    assertTrue(policy.exhausted(3));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1), 1, () -> 0));
    assertThrows(IllegalArgumentException.class,
        () -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 1, () -> 0));
  }

  @Test
  void classifiesReceiverResponsesAfterRfc8935() {
    assertInstanceOf(SetDelivery.Delivered.class, WebClientSetSender.classify(202, ""));
    assertInstanceOf(SetDelivery.Rejected.class, WebClientSetSender.classify(400, "{\"err\":\"invalid_audience\"}"));
    assertInstanceOf(SetDelivery.Rejected.class, WebClientSetSender.classify(404, ""));
    assertInstanceOf(SetDelivery.Retry.class, WebClientSetSender.classify(503, ""));
    assertInstanceOf(SetDelivery.Retry.class, WebClientSetSender.classify(429, ""));
  }
}

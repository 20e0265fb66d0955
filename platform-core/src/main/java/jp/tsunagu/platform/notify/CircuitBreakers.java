package jp.tsunagu.platform.notify;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One circuit breaker per webhook endpoint, on this node: after {@code threshold} failures in a
 * row the endpoint is left alone for {@code openMillis}; then one delivery is let through (half
 * open), and its outcome closes the breaker or opens it again. A failing relay so costs a few
 * attempts a minute instead of a timeout per queued notice.
 */
final class CircuitBreakers {
  private static final class State {
    int failures;
    long openUntil;
    boolean trial;
  }

  private final int threshold;
  private final long openMillis;
  private final LongSupplier clock;
  private final Map<String, State> states = new HashMap<>();

  CircuitBreakers(int threshold, long openMillis, LongSupplier clock) {
    this.threshold = threshold;
    this.openMillis = openMillis;
    this.clock = clock;
  }

  /** 0 when a request to the endpoint may go now, else the time (epoch ms) to try again. */
  synchronized long blockedUntil(String endpoint) {
    State s = states.get(endpoint);
    if (s == null || s.openUntil == 0) {
      return 0;
    }
    long now = clock.getAsLong();
    if (now < s.openUntil) {
      return s.openUntil;
    }
    if (s.trial) {
      return now + openMillis;
    }
    s.trial = true;
    return 0;
  }

  synchronized void succeeded(String endpoint) {
    states.remove(endpoint);
  }

  synchronized void failed(String endpoint) {
    State s = states.computeIfAbsent(endpoint, k -> new State());
    s.failures++;
    s.trial = false;
    if (s.failures >= threshold) {
      s.openUntil = clock.getAsLong() + openMillis;
    }
  }
}

package jp.tsunagu.consent.withdrawal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": after attempt n the delay is d/2 + jitter * d/2 where
 * d = min(max, initial * 2^(n-1)) and jitter is in [0, 1). After {@code maxAttempts} attempts the
 * entry is given up as failed.
 */
public record RetryPolicy(Duration initial, Duration max, int maxAttempts, DoubleSupplier jitter) {
  public RetryPolicy {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || maxAttempts < 1) {
      throw new IllegalArgumentException("need 0 < initial <= max and maxAttempts >= 1");
    }
  }

  /** 30 s doubling to 6 h, for about three days of attempts. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(Duration.ofSeconds(30), Duration.ofHours(6), 20, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** The delay before the next attempt, after {@code attempts} attempts (1 or more). */
  public Duration delayAfter(int attempts) {
    long cap = max.toMillis();
    long d = initial.toMillis();
    for (int n = 1; n < attempts && d < cap; n++) {
      d = Math.min(cap, d * 2);
    }
    long half = d / 2;
    double j = Math.min(Math.max(jitter.getAsDouble(), 0.0), 0.999_999);
    return Duration.ofMillis(half + (long) (j * (d - half)));
  }

  public boolean exhausted(int attempts) {
    return attempts >= maxAttempts;
  }
}

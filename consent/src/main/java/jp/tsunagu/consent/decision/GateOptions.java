package jp.tsunagu.consent.decision;

import java.time.Duration;

/**
 * @param maxEntries the cache holds at most about this many links
 * @param maxAge     a cached entry is reloaded after this long even without an invalidation; it
 *                   bounds staleness on a member that missed an invalidation (e.g. partitioned)
 */
public record GateOptions(int maxEntries, Duration maxAge) {
  public GateOptions {
    if (maxEntries < 1 || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxEntries and maxAge must be positive");
    }
  }

  public static GateOptions defaults() {
    return new GateOptions(200_000, Duration.ofMinutes(5));
  }
}

package jp.tsunagu.search.page;

import java.time.Duration;
import java.time.Instant;
import jp.tsunagu.search.InvalidSearchRequestException;
import jp.tsunagu.search.InvalidSearchRequestException.Reason;

/** Buckets of the {@code published} facet, relative to the request's clock. */
public enum PublishedRange {
  LAST_7_DAYS("last_7_days", Duration.ofDays(7)),
  LAST_30_DAYS("last_30_days", Duration.ofDays(30)),
  LAST_365_DAYS("last_365_days", Duration.ofDays(365)),
  OLDER("older", null);

  private final String code;
  private final Duration age;

  PublishedRange(String code, Duration age) {
    this.code = code;
    this.age = age;
  }

  public String code() {
    return code;
  }

  /** Inclusive lower bound in epoch milliseconds. */
  long from(Instant now) {
    return age == null ? Long.MIN_VALUE : now.minus(age).toEpochMilli();
  }

  /** Inclusive upper bound in epoch milliseconds. */
  long to(Instant now) {
    return age == null ? now.minus(LAST_365_DAYS.age).toEpochMilli() - 1 : Long.MAX_VALUE;
  }

  public static PublishedRange ofCode(String code) {
    for (PublishedRange r : values()) {
      if (r.code.equals(code)) {
        return r;
      }
    }
    throw new InvalidSearchRequestException(Reason.BAD_ARGUMENT,
        "unknown published range '" + code + "'; use last_7_days, last_30_days, last_365_days or older");
  }
}

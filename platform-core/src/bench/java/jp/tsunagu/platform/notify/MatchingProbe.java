package jp.tsunagu.platform.notify;

import io.vertx.sqlclient.Pool;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import jp.tsunagu.platform.content.ContentPage;
import jp.tsunagu.platform.testing.Fixtures;

/**
 * Matching alone, for the delivery bench: the matcher's own selection of a change's recipients
 * (every profile and subscription branch, the account check), counted without writing anything.
 */
public final class MatchingProbe {
  private MatchingProbe() {}

  /** Milliseconds to match a publication of {@code page}; fails unless it matches {@code expected} citizens. */
  public static double millis(Pool pool, ContentPage page, long expected) {
    MatchRepository repository = new MatchRepository(pool);
    long start = System.nanoTime();
    long matched = Fixtures.await(repository.countMatches(pool, "published", page, List.of(), LocalDate.now(ZoneId.of("Asia/Tokyo"))));
    double ms = (System.nanoTime() - start) / 1e6;
    if (matched != expected) {
      throw new IllegalStateException("matched " + matched + ", expected " + expected);
    }
    return ms;
  }
}

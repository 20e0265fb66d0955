package jp.tsunagu.platform.ratelimit;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.Serial;
import java.io.Serializable;
import java.time.Clock;
import java.util.Map;
import jp.tsunagu.platform.http.ProblemException;

/**
 * Fixed-window counters held in a Hazelcast map, so every node of the cluster counts the same
 * attempts. Counting runs as an entry processor on the key's owner member (one network hop, no
 * lock); keys carry their window number, and the map's time-to-live removes old windows.
 */
public final class RateLimiter {
  private final Vertx vertx;
  private final IMap<String, Long> counters;
  private final Clock clock;

  public RateLimiter(Vertx vertx, IMap<String, Long> counters, Clock clock) {
    this.vertx = vertx;
    this.counters = counters;
    this.clock = clock;
  }

  /** A named limit: at most {@code max} events per window. */
  public record Limit(String name, int max, long windowSeconds) {}

  /** Fails with 429 when the bucket is already full; counts nothing. */
  public Future<Void> check(Limit limit, String subject) {
    Window w = window(limit, subject);
    return fromStage(counters.getAsync(w.key))
        .compose(count -> count != null && count >= limit.max()
            ? Future.failedFuture(ProblemException.tooManyRequests(w.secondsLeft))
            : Future.succeededFuture());
  }

  /** Counts one event; fails with 429 when it goes over the limit. */
  public Future<Void> hit(Limit limit, String subject) {
    Window w = window(limit, subject);
    return fromStage(counters.submitToKey(w.key, new Increment()))
        .compose(count -> count > limit.max()
            ? Future.failedFuture(ProblemException.tooManyRequests(w.secondsLeft))
            : Future.succeededFuture());
  }

  /** Counts one event without failing (for failed attempts recorded after the fact). */
  public Future<Void> record(Limit limit, String subject) {
    return fromStage(counters.submitToKey(window(limit, subject).key, new Increment())).mapEmpty();
  }

  private record Window(String key, long secondsLeft) {}

  private Window window(Limit limit, String subject) {
    long now = clock.millis() / 1000;
    long index = now / limit.windowSeconds();
    long left = (index + 1) * limit.windowSeconds() - now;
    return new Window(limit.name() + ":" + subject + ":" + index, Math.max(1, left));
  }

  private <T> Future<T> fromStage(java.util.concurrent.CompletionStage<T> stage) {
    var context = vertx.getOrCreateContext();
    return Future.fromCompletionStage(stage, context);
  }

  /** Adds one to a counter on the member that owns it. */
  static final class Increment implements EntryProcessor<String, Long, Long>, Serializable {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public Long process(Map.Entry<String, Long> entry) {
      long next = (entry.getValue() == null ? 0 : entry.getValue()) + 1;
      entry.setValue(next);
      return next;
    }
  }
}

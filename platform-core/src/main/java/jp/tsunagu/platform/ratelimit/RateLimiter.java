package jp.tsunagu.platform.ratelimit;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.Serial;
import java.io.Serializable;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagu.platform.http.ProblemException;

/**
 * Fixed-window counters held in a Hazelcast map, so every node of the cluster counts the same
 * attempts. Counting runs as an entry processor on the key's owner member (one network hop, no
 * lock); keys carry their window number, and the map's time-to-live removes old windows.
 *
 * <p>Most checks are of buckets nothing has been counted in (the failed sign-ins of a citizen who
 * types the right password, the failed authentications of a service that has its secret). So that
 * those cost no Hazelcast read, every node keeps the set of buckets counted in during their
 * window: a node that counts adds the bucket to its own set at once and announces it to the others
 * on the event bus ({@value #COUNTED_ADDRESS}); a check of a bucket not in the set passes without
 * reading the counter, and a check of one in it reads the counter as before. A node learns of
 * another's count within the event bus's delivery time, and after a restart it knows of a bucket
 * again from its own next count in it: in either case it lets through at most the attempts that
 * come in before, which the count then includes.
 */
public final class RateLimiter {
  /** Event-bus address of the buckets counted in, announced to every node. */
  static final String COUNTED_ADDRESS = "tsunagu.rate-limits.counted";
  /** How often buckets past their window are dropped from the set. */
  private static final long PRUNE_EVERY_MS = 60_000;

  private final Vertx vertx;
  private final IMap<String, Long> counters;
  private final Clock clock;
  /** Buckets of the current windows that events were counted in, with the end of their window (epoch ms). */
  private final Map<String, Long> counted = new ConcurrentHashMap<>();

  public RateLimiter(Vertx vertx, IMap<String, Long> counters, Clock clock) {
    this.vertx = vertx;
    this.counters = counters;
    this.clock = clock;
    vertx.eventBus().<String>consumer(COUNTED_ADDRESS, m -> {
      String body = m.body();
      int bar = body.indexOf('|');
      if (bar > 0) {
        counted.put(body.substring(bar + 1), Long.parseLong(body.substring(0, bar)));
      }
    });
    vertx.setPeriodic(PRUNE_EVERY_MS, id -> {
      long now = clock.millis();
      counted.values().removeIf(end -> end <= now);
    });
  }

  /** Whether this node knows of events counted in the bucket in its current window (for tests). */
  public boolean knowsCounted(Limit limit, String subject) {
    return counted.containsKey(window(limit, subject).key);
  }

  /** A named limit: at most {@code max} events per window. */
  public record Limit(String name, int max, long windowSeconds) {}

  /** Fails with 429 when the bucket is already full; counts nothing. */
  public Future<Void> check(Limit limit, String subject) {
    Window w = window(limit, subject);
    if (!counted.containsKey(w.key)) {
      return Future.succeededFuture();
    }
    return fromStage(counters.getAsync(w.key))
        .compose(count -> count != null && count >= limit.max()
            ? Future.failedFuture(ProblemException.tooManyRequests(w.secondsLeft))
            : Future.succeededFuture());
  }

  /** Counts one event; fails with 429 when it goes over the limit. */
  public Future<Void> hit(Limit limit, String subject) {
    Window w = window(limit, subject);
    announce(w);
    return fromStage(counters.submitToKey(w.key, new Increment()))
        .compose(count -> count > limit.max()
            ? Future.failedFuture(ProblemException.tooManyRequests(w.secondsLeft))
            : Future.succeededFuture());
  }

  /** Counts one event without failing (for failed attempts recorded after the fact). */
  public Future<Void> record(Limit limit, String subject) {
    Window w = window(limit, subject);
    announce(w);
    return fromStage(counters.submitToKey(w.key, new Increment())).mapEmpty();
  }

  /** Marks the bucket as counted in on this node at once, and on the others by the event bus. */
  private void announce(Window w) {
    counted.put(w.key, w.endsAt);
    vertx.eventBus().publish(COUNTED_ADDRESS, w.endsAt + "|" + w.key);
  }

  private record Window(String key, long secondsLeft, long endsAt) {}

  private Window window(Limit limit, String subject) {
    long now = clock.millis() / 1000;
    long index = now / limit.windowSeconds();
    long end = (index + 1) * limit.windowSeconds();
    return new Window(limit.name() + ":" + subject + ":" + index, Math.max(1, end - now), end * 1000);
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

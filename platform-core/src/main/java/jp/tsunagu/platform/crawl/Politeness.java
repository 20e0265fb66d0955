package jp.tsunagu.platform.crawl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The delay between two requests of this node to one host (the larger of ours and the host's
 * Crawl-delay), counted from the end of the previous answer.
 */
final class Politeness {
  private final Vertx vertx;
  private final ConcurrentHashMap<String, Long> nextAllowed = new ConcurrentHashMap<>();

  Politeness(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Completes when a request to the host may go out, reserving the slot. */
  Future<Void> turn(String host, long delayMillis) {
    long now = System.nanoTime();
    long delay = TimeUnit.MILLISECONDS.toNanos(delayMillis);
    long[] at = new long[1];
    nextAllowed.compute(host, (h, next) -> {
      at[0] = next == null || next < now ? now : next;
      return at[0] + delay;
    });
    long waitMillis = (at[0] - now + 999_999) / 1_000_000;
    if (waitMillis <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(waitMillis, t -> promise.complete());
    return promise.future();
  }

  /** Called when an answer from the host is complete: the next request waits the delay from now. */
  void answered(String host, long delayMillis) {
    long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    nextAllowed.merge(host, next, Math::max);
  }
}

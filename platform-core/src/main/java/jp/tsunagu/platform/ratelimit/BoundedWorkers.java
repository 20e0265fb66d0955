package jp.tsunagu.platform.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A worker pool whose queue is bounded: at most {@code limit} tasks are accepted at once (running
 * or waiting for a worker), and one more fails at once with the refusal given, rather than waiting
 * behind the others. Past the limit a task would only wait longer than its caller cares to, and an
 * unbounded queue lets a flood make every caller wait.
 */
public final class BoundedWorkers {
  private final WorkerExecutor workers;
  private final int limit;
  private final Supplier<? extends RuntimeException> refusal;
  private final AtomicInteger accepted = new AtomicInteger();

  public BoundedWorkers(WorkerExecutor workers, int limit, Supplier<? extends RuntimeException> refusal) {
    this.workers = workers;
    this.limit = limit;
    this.refusal = refusal;
  }

  /** Runs {@code work} on the pool (unordered), or fails at once with the refusal when the queue is full. */
  public <T> Future<T> submit(Callable<T> work) {
    if (accepted.incrementAndGet() > limit) {
      accepted.decrementAndGet();
      return Future.failedFuture(refusal.get());
    }
    return workers.executeBlocking(work, false).andThen(done -> accepted.decrementAndGet());
  }

  /** Tasks accepted and not yet done. */
  public int accepted() {
    return accepted.get();
  }
}

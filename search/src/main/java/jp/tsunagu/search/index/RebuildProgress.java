package jp.tsunagu.search.index;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of a rebuild, readable from any thread while the rebuild runs.
 */
public final class RebuildProgress {

  private final long total;
  private final AtomicLong done = new AtomicLong();
  private volatile boolean finished;

  public RebuildProgress(long total) {
    this.total = total;
  }

  /** Documents expected, as told by the caller; -1 when unknown. */
  public long total() {
    return total;
  }

  /** Documents written to the new generation so far. */
  public long done() {
    return done.get();
  }

  /** True once the new generation has replaced the old one. */
  public boolean finished() {
    return finished;
  }

  /** done/total between 0 and 1, or -1 when the total is unknown. */
  public double fraction() {
    return total <= 0 ? -1 : Math.min(1.0, (double) done.get() / total);
  }

  void advance() {
    done.incrementAndGet();
  }

  void finish() {
    finished = true;
  }

  @Override
  public String toString() {
    return done.get() + "/" + (total < 0 ? "?" : total) + (finished ? " finished" : "");
  }
}

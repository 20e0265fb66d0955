package jp.tsunagu.platform.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waiting for something that happens elsewhere (another node, a background round) by polling with a deadline. */
public final class Poll {
  private Poll() {}

  /** Polls until the condition holds; fails with the message when the deadline passes. Returns the time it took. */
  public static Duration until(Duration timeout, String what, Callable<Boolean> condition) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (Exception e) {
        last = e;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
    throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what, last);
  }
}

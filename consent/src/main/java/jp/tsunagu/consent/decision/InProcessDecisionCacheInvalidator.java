package jp.tsunagu.consent.decision;

import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Invalidates gates living in this JVM, synchronously; for single-node use and tests. */
public final class InProcessDecisionCacheInvalidator implements DecisionCacheInvalidator {
  private final List<DecisionCacheListener> listeners = new CopyOnWriteArrayList<>();

  public InProcessDecisionCacheInvalidator register(DecisionCacheListener listener) {
    listeners.add(listener);
    return this;
  }

  @Override
  public Future<Void> invalidate(Invalidation invalidation) {
    listeners.forEach(l -> l.invalidateLocally(invalidation));
    return Future.succeededFuture();
  }
}

package jp.tsunagu.consent.decision;

import io.vertx.core.Future;

/**
 * Drops cached decisions on every member of the cluster. The returned future completes only once
 * every live member has dropped the matching entries, so that a withdrawal (or any other change)
 * has taken effect everywhere when the call that caused it returns. It fails with
 * {@code INVALIDATION_INCOMPLETE} when some member did not confirm in time.
 *
 * <p>Implementations: {@link EventBusDecisionCacheInvalidator} (clustered event bus, one
 * request per member), {@link InProcessDecisionCacheInvalidator} (gates in one JVM).
 */
public interface DecisionCacheInvalidator {
  Future<Void> invalidate(Invalidation invalidation);
}

package jp.tsunagu.consent.decision;

/** A member's decision cache; drops entries when told. Implemented by {@link ConsentGate}. */
public interface DecisionCacheListener {
  /** Drops the matching cached decisions on this member; must not block and must not fail. */
  void invalidateLocally(Invalidation invalidation);
}

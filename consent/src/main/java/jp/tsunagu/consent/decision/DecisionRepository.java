package jp.tsunagu.consent.decision;

import io.vertx.core.Future;

/** Reads what the gate needs from the ledger. */
public interface DecisionRepository {
  /** The link's latest record and the notice in force, as read now. */
  Future<ConsentSnapshot> snapshot(ConsentKey key);
}

package jp.tsunagu.consent.ledger;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** One state change of a record: the ledger's history, one row per transition. */
public record ConsentEvent(
    UUID id,
    UUID recordId,
    int recordVersion,
    Optional<ConsentState> from,
    ConsentState to,
    Actor actor,
    Instant occurredAt) {

  /** The event that moved {@code before} (absent for a new record) to {@code after}. */
  public static ConsentEvent of(Optional<ConsentRecord> before, ConsentRecord after, Actor actor) {
    return new ConsentEvent(UUID.randomUUID(), after.id(), after.version(),
        before.map(ConsentRecord::state), after.state(), actor, after.stateChangedAt());
  }
}

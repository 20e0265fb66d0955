package jp.tsunagu.consent.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.consent.ConsentError;

/**
 * One consent decision of a citizen (or on their behalf) about one service in one tenant,
 * structured after ISO/IEC TS 27560: what was agreed (items, purposes), under which notice,
 * by whom, how, when, until when, and its current state. State changes are methods that check
 * the current state and return the next version of the record.
 *
 * @param version    starts at 1 and grows with each state change
 * @param createdAt  when the decision was made
 * @param actor      who made the decision and through which interface
 */
public record ConsentRecord(
    UUID id,
    String tenantId,
    String citizenId,
    String serviceId,
    int noticeVersion,
    Set<String> items,
    Set<String> purposes,
    ConsentState state,
    int version,
    Actor actor,
    Instant createdAt,
    Optional<Instant> expiresAt,
    Instant stateChangedAt,
    Optional<UUID> supersededBy) {

  public ConsentRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(supersededBy, "supersededBy");
    items = Set.copyOf(items);
    purposes = Set.copyOf(purposes);
  }

  /** A new record in state GIVEN or REFUSED. */
  public static ConsentRecord decided(UUID id, String tenantId, String citizenId, String serviceId,
      int noticeVersion, Set<String> items, Set<String> purposes, boolean given, Actor actor,
      Instant at, Optional<Instant> expiresAt) {
    return new ConsentRecord(id, tenantId, citizenId, serviceId, noticeVersion,
        given ? items : Set.of(), given ? purposes : Set.of(),
        given ? ConsentState.GIVEN : ConsentState.REFUSED, 1, actor, at,
        given ? expiresAt : Optional.empty(), at, Optional.empty());
  }

  /** GIVEN → WITHDRAWN. */
  public ConsentRecord withdraw(Instant at) {
    require(ConsentState.GIVEN, "withdraw");
    return next(ConsentState.WITHDRAWN, at, supersededBy);
  }

  /** GIVEN → EXPIRED, only once its expiry time has passed. */
  public ConsentRecord expire(Instant at) {
    require(ConsentState.GIVEN, "expire");
    if (expiresAt.isEmpty() || at.isBefore(expiresAt.get())) {
      throw ConsentError.ILLEGAL_TRANSITION.exception("consent " + id + " has not expired");
    }
    return next(ConsentState.EXPIRED, at, supersededBy);
  }

  /** GIVEN or REFUSED → SUPERSEDED by a later decision {@code by}. */
  public ConsentRecord supersede(UUID by, Instant at) {
    if (!state.isLive()) {
      throw illegal("supersede");
    }
    return next(ConsentState.SUPERSEDED, at, Optional.of(by));
  }

  /** True when this record lets data flow at {@code now} (given and not past its expiry). */
  public boolean isInForceAt(Instant now) {
    return state == ConsentState.GIVEN && expiresAt.map(now::isBefore).orElse(true);
  }

  private void require(ConsentState expected, String action) {
    if (state != expected) {
      throw illegal(action);
    }
  }

  private RuntimeException illegal(String action) {
    return ConsentError.ILLEGAL_TRANSITION.exception("cannot " + action + " consent " + id + " in state " + state);
  }

  private ConsentRecord next(ConsentState to, Instant at, Optional<UUID> by) {
    return new ConsentRecord(id, tenantId, citizenId, serviceId, noticeVersion, items, purposes,
        to, version + 1, actor, createdAt, expiresAt, at, by);
  }
}

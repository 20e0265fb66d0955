package jp.tsunagu.platform.oidc;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** One persisted authorization flow (see {@link FlowState} for its states). */
public record Flow(UUID id, String clientId, FlowState state, AuthorizationRequest request, UUID accountId, String sid,
                   Instant authTime, String acr, Set<String> grantedScopes, Integer accountStamp, Instant expiresAt) {

  public boolean expired(Instant now) {
    return !expiresAt.isAfter(now);
  }

  /** Fails unless the flow may move to {@code next}; the repository checks the same in its UPDATE. */
  public Flow requireMove(FlowState next) {
    if (!state.canMoveTo(next)) {
      throw new FlowConflict(id, state, next);
    }
    return this;
  }

  /** The flow moved on meanwhile (another tab, another node, a replayed form). */
  public static final class FlowConflict extends RuntimeException {
    FlowConflict(UUID id, FlowState from, FlowState to) {
      super("authorization " + id + " is " + from.id() + " and cannot become " + to.id(), null, false, false);
    }
  }
}

package jp.tsunagu.platform.oidc;

import java.util.Set;

/**
 * States of an authorization flow and the transitions allowed between them:
 * <pre>
 *   login ──sign-in──► consent ──approve──► done
 *     │                  │  ▲
 *     │                  └──┘ sign-in again (another account, prompt=login)
 *     └──────deny──────► denied ◄──deny── consent
 * </pre>
 * With a consent in force for the service (remembered consent), signing in takes the flow from
 * login (or consent, when signing in again) straight to done, in one UPDATE that names both
 * states it may come from ({@code FlowRepository.signedInWithConsent}); the consent page's
 * approval is the only other way to done.
 */
public enum FlowState {
  LOGIN, CONSENT, DONE, DENIED;

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static FlowState of(String id) {
    return valueOf(id.toUpperCase(java.util.Locale.ROOT));
  }

  /** The states a flow may be in to move to this one. */
  public Set<FlowState> predecessors() {
    return switch (this) {
      case LOGIN -> Set.of();
      case CONSENT -> Set.of(LOGIN, CONSENT);
      case DONE -> Set.of(CONSENT);
      case DENIED -> Set.of(LOGIN, CONSENT);
    };
  }

  public boolean canMoveTo(FlowState next) {
    return next.predecessors().contains(this);
  }
}

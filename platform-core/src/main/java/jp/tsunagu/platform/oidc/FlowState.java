package jp.tsunagu.platform.oidc;

import java.util.Set;

/**
 * States of an authorization flow and the transitions allowed between them:
 * <pre>
 *   pushed ──authorize──► login ──sign-in──► consent ──approve──► done
 *                           │                  │  ▲
 *                           │                  └──┘ sign-in again (another account, prompt=login)
 *                           └──────deny──────► denied ◄──deny── consent
 * </pre>
 * A flow starts in login when the browser brings the request, or in pushed when the client pushed
 * it first (RFC 9126): pushed is bound to no browser, and the authorization endpoint moves it to
 * login once, binding it to the browser that brings its request_uri.
 * With a consent in force for the service (remembered consent), signing in takes the flow from
 * login (or consent, when signing in again) straight to done, in one UPDATE that names both
 * states it may come from ({@code FlowRepository.signedInWithConsent}); the consent page's
 * approval is the only other way to done.
 */
public enum FlowState {
  PUSHED, LOGIN, CONSENT, DONE, DENIED;

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static FlowState of(String id) {
    return valueOf(id.toUpperCase(java.util.Locale.ROOT));
  }

  /** The states a flow may be in to move to this one. */
  public Set<FlowState> predecessors() {
    return switch (this) {
      case PUSHED -> Set.of();
      case LOGIN -> Set.of(PUSHED);
      case CONSENT -> Set.of(LOGIN, CONSENT);
      case DONE -> Set.of(CONSENT);
      case DENIED -> Set.of(LOGIN, CONSENT);
    };
  }

  public boolean canMoveTo(FlowState next) {
    return next.predecessors().contains(this);
  }
}

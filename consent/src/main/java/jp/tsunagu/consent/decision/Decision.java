package jp.tsunagu.consent.decision;

import java.util.Optional;
import java.util.UUID;

/**
 * The gate's answer for one (citizen, service, item, purpose) at one moment.
 *
 * @param consentId the consent record the answer rests on, if any
 */
public record Decision(boolean permitted, DecisionReason reason, Optional<UUID> consentId) {
  static final Decision NO_CONSENT = new Decision(false, DecisionReason.NO_CONSENT, Optional.empty());
}

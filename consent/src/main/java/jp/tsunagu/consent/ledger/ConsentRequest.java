package jp.tsunagu.consent.ledger;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A citizen's decision about a service's notice: the items and purposes they agree to (a subset of
 * those declared, always including the required items), or a refusal.
 *
 * @param noticeVersion the notice version the citizen was shown
 * @param validity      how long the consent lasts; empty for until withdrawn
 */
public record ConsentRequest(
    String tenantId,
    String citizenId,
    String serviceId,
    int noticeVersion,
    Set<String> items,
    Set<String> purposes,
    Actor actor,
    Optional<Duration> validity) {

  public ConsentRequest {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(citizenId, "citizenId");
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(validity, "validity");
    items = Set.copyOf(items);
    purposes = Set.copyOf(purposes);
  }

  /** A refusal of the whole notice. */
  public static ConsentRequest refusal(String tenantId, String citizenId, String serviceId,
      int noticeVersion, Actor actor) {
    return new ConsentRequest(tenantId, citizenId, serviceId, noticeVersion, Set.of(), Set.of(), actor, Optional.empty());
  }
}

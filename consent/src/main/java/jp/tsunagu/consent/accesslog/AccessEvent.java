package jp.tsunagu.consent.accesslog;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** One release of a citizen's data to a service, to be appended to the citizen's chain. */
public record AccessEvent(
    String tenantId,
    String citizenId,
    String serviceId,
    AccessKind kind,
    Set<String> items,
    String purpose,
    Optional<UUID> consentId) {

  public AccessEvent {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(citizenId, "citizenId");
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(consentId, "consentId");
    items = Set.copyOf(items);
    if (items.isEmpty()) {
      throw new IllegalArgumentException("an access releases at least one item");
    }
  }
}

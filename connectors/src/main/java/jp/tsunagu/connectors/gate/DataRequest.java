package jp.tsunagu.connectors.gate;

import java.util.Objects;
import java.util.Set;

/** A service's request for some of a citizen's data items for one purpose. */
public record DataRequest(String tenantId, String citizenId, String serviceId, String purpose, Set<String> items) {
  public DataRequest {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(citizenId, "citizenId");
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(purpose, "purpose");
    items = Set.copyOf(items);
    if (items.isEmpty()) {
      throw new IllegalArgumentException("request at least one item");
    }
  }
}

package jp.tsunagu.consent.declaration;

import java.net.URI;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a service asks of citizens in one tenant under one notice version: the data items (each
 * required or optional), the purposes, and the notice text. A new notice is a new version; the
 * highest version is the one in force.
 *
 * @param audience    the service's client id, used as {@code aud} of Security Event Tokens
 * @param setEndpoint the service's registered Security Event Token receiver, if any
 */
public record ServiceDeclaration(
    String tenantId,
    String serviceId,
    int noticeVersion,
    LocalizedText notice,
    List<DeclaredItem> items,
    List<DeclaredPurpose> purposes,
    String audience,
    Optional<URI> setEndpoint,
    Instant publishedAt) {

  public ServiceDeclaration {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(notice, "notice");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(setEndpoint, "setEndpoint");
    Objects.requireNonNull(publishedAt, "publishedAt");
    if (noticeVersion < 1) {
      throw new IllegalArgumentException("notice version must be positive");
    }
    items = List.copyOf(items);
    purposes = List.copyOf(purposes);
    if (items.isEmpty() || purposes.isEmpty()) {
      throw new IllegalArgumentException("a declaration needs at least one item and one purpose");
    }
    requireUnique(items.stream().map(DeclaredItem::id).toList(), "item");
    requireUnique(purposes.stream().map(DeclaredPurpose::id).toList(), "purpose");
  }

  public Set<String> itemIds() {
    return items.stream().map(DeclaredItem::id).collect(Collectors.toUnmodifiableSet());
  }

  public Set<String> requiredItemIds() {
    return items.stream().filter(DeclaredItem::required).map(DeclaredItem::id)
        .collect(Collectors.toUnmodifiableSet());
  }

  public Set<String> purposeIds() {
    return purposes.stream().map(DeclaredPurpose::id).collect(Collectors.toUnmodifiableSet());
  }

  private static void requireUnique(List<String> ids, String what) {
    if (new HashSet<>(ids).size() != ids.size()) {
      throw new IllegalArgumentException("duplicate " + what + " ids: " + ids);
    }
  }
}

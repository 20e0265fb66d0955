package jp.tsunagu.consent.accesslog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One link of a citizen's access chain.
 *
 * @param seq       1 for the citizen's first entry, then consecutive
 * @param items     sorted
 * @param prevHash  the previous entry's hash (32 zero bytes for the first)
 * @param entryHash SHA-256 over {@code prevHash} and the canonical form of the other fields
 */
public record AccessLogEntry(
    String citizenId,
    long seq,
    String tenantId,
    String serviceId,
    AccessKind kind,
    List<String> items,
    String purpose,
    Optional<UUID> consentId,
    Instant occurredAt,
    byte[] prevHash,
    byte[] entryHash) {

  public AccessLogEntry {
    items = List.copyOf(items);
  }
}

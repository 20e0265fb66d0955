package jp.tsunagu.consent.withdrawal;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A Security Event Token waiting for (or done with) delivery. */
public record OutboxEntry(
    UUID id,
    UUID jti,
    String tenantId,
    String serviceId,
    UUID consentId,
    Optional<URI> endpoint,
    String setJws,
    OutboxStatus status,
    int attempts,
    Instant nextAttemptAt,
    Optional<String> lastError,
    Instant createdAt,
    Optional<Instant> deliveredAt) {}

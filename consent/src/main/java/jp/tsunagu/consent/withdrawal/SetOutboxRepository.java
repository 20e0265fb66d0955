package jp.tsunagu.consent.withdrawal;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The Security Event Token outbox. */
public interface SetOutboxRepository {
  Future<Void> insert(SqlClient client, OutboxEntry entry);

  /**
   * Claims up to {@code limit} pending entries due at {@code now}: counts an attempt and moves
   * their next attempt to {@code leaseUntil}, so that no other member takes them meanwhile and a
   * member that dies mid-delivery leaves them to be retried.
   */
  Future<List<OutboxEntry>> claimDue(SqlClient client, Instant now, Instant leaseUntil, int limit);

  Future<Void> markDelivered(SqlClient client, UUID id, Instant at);

  Future<Void> markRetry(SqlClient client, UUID id, Instant nextAttemptAt, String error);

  Future<Void> markFailed(SqlClient client, UUID id, String error);

  Future<List<OutboxEntry>> byConsent(SqlClient client, UUID consentId);
}

package jp.tsunagu.consent.receipt;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Issued receipts and one-time presentations. */
public interface ReceiptRepository {
  Future<Void> recordIssued(SqlClient client, UUID jti, UUID recordId, int recordVersion, Instant issuedAt);

  /** The record id and version an issued receipt describes. */
  Future<Optional<IssuedReceipt>> issued(SqlClient client, UUID jti);

  /** Notes a presentation; fails with a unique violation when {@code jti} was presented before. */
  Future<Void> recordPresentation(SqlClient client, UUID jti, Instant at);

  record IssuedReceipt(UUID jti, UUID recordId, int recordVersion) {}
}

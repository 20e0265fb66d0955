package jp.tsunagu.consent.receipt;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/** PostgreSQL receipts in {@code consent.receipt} and {@code consent.receipt_presentation}. */
public final class PgReceiptRepository implements ReceiptRepository {
  private static final String INSERT_ISSUED =
      "INSERT INTO consent.receipt (jti, record_id, record_version, issued_at) VALUES ($1, $2, $3, $4)";
  private static final String SELECT_ISSUED =
      "SELECT jti, record_id, record_version FROM consent.receipt WHERE jti = $1";
  private static final String INSERT_PRESENTATION =
      "INSERT INTO consent.receipt_presentation (jti, presented_at) VALUES ($1, $2)";

  @Override
  public Future<Void> recordIssued(SqlClient client, UUID jti, UUID recordId, int recordVersion, Instant issuedAt) {
    return client.preparedQuery(INSERT_ISSUED)
        .execute(Tuple.of(jti, recordId, recordVersion, issuedAt.atOffset(ZoneOffset.UTC))).mapEmpty();
  }

  @Override
  public Future<Optional<IssuedReceipt>> issued(SqlClient client, UUID jti) {
    return client.preparedQuery(SELECT_ISSUED).execute(Tuple.of(jti)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      return Optional.of(new IssuedReceipt(r.getUUID("jti"), r.getUUID("record_id"), r.getInteger("record_version")));
    });
  }

  @Override
  public Future<Void> recordPresentation(SqlClient client, UUID jti, Instant at) {
    return client.preparedQuery(INSERT_PRESENTATION).execute(Tuple.of(jti, at.atOffset(ZoneOffset.UTC))).mapEmpty();
  }
}

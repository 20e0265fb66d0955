package jp.tsunagu.consent.withdrawal;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** PostgreSQL outbox in {@code consent.set_outbox}. */
public final class PgSetOutboxRepository implements SetOutboxRepository {
  private static final String COLUMNS = "id, jti, tenant_id, service_id, consent_id, endpoint, set_jws, status,"
      + " attempts, next_attempt_at, last_error, created_at, delivered_at";
  private static final String INSERT = "INSERT INTO consent.set_outbox (" + COLUMNS
      + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
  private static final String CLAIM_DUE = "UPDATE consent.set_outbox SET attempts = attempts + 1,"
      + " next_attempt_at = $2 WHERE id IN (SELECT id FROM consent.set_outbox"
      + "   WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $3"
      + "   FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS;
  private static final String MARK_DELIVERED = "UPDATE consent.set_outbox SET status = 'delivered',"
      + " delivered_at = $2, last_error = NULL WHERE id = $1";
  private static final String MARK_RETRY = "UPDATE consent.set_outbox SET next_attempt_at = $2, last_error = $3"
      + " WHERE id = $1";
  private static final String MARK_FAILED = "UPDATE consent.set_outbox SET status = 'failed', last_error = $2"
      + " WHERE id = $1";
  private static final String BY_CONSENT = "SELECT " + COLUMNS + " FROM consent.set_outbox WHERE consent_id = $1"
      + " ORDER BY created_at";

  @Override
  public Future<Void> insert(SqlClient client, OutboxEntry e) {
    Tuple t = Tuple.tuple()
        .addUUID(e.id()).addUUID(e.jti()).addString(e.tenantId()).addString(e.serviceId()).addUUID(e.consentId())
        .addString(e.endpoint().map(URI::toString).orElse(null)).addString(e.setJws())
        .addString(e.status().dbValue()).addInteger(e.attempts()).addOffsetDateTime(utc(e.nextAttemptAt()))
        .addString(e.lastError().orElse(null)).addOffsetDateTime(utc(e.createdAt()))
        .addOffsetDateTime(e.deliveredAt().map(PgSetOutboxRepository::utc).orElse(null));
    return client.preparedQuery(INSERT).execute(t).mapEmpty();
  }

  @Override
  public Future<List<OutboxEntry>> claimDue(SqlClient client, Instant now, Instant leaseUntil, int limit) {
    return client.preparedQuery(CLAIM_DUE).execute(Tuple.of(utc(now), utc(leaseUntil), limit))
        .map(PgSetOutboxRepository::all);
  }

  @Override
  public Future<Void> markDelivered(SqlClient client, UUID id, Instant at) {
    return client.preparedQuery(MARK_DELIVERED).execute(Tuple.of(id, utc(at))).mapEmpty();
  }

  @Override
  public Future<Void> markRetry(SqlClient client, UUID id, Instant nextAttemptAt, String error) {
    return client.preparedQuery(MARK_RETRY).execute(Tuple.of(id, utc(nextAttemptAt), error)).mapEmpty();
  }

  @Override
  public Future<Void> markFailed(SqlClient client, UUID id, String error) {
    return client.preparedQuery(MARK_FAILED).execute(Tuple.of(id, error)).mapEmpty();
  }

  @Override
  public Future<List<OutboxEntry>> byConsent(SqlClient client, UUID consentId) {
    return client.preparedQuery(BY_CONSENT).execute(Tuple.of(consentId)).map(PgSetOutboxRepository::all);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static List<OutboxEntry> all(RowSet<Row> rows) {
    List<OutboxEntry> entries = new ArrayList<>(rows.size());
    rows.forEach(r -> entries.add(new OutboxEntry(r.getUUID("id"), r.getUUID("jti"), r.getString("tenant_id"),
        r.getString("service_id"), r.getUUID("consent_id"),
        Optional.ofNullable(r.getString("endpoint")).map(URI::create), r.getString("set_jws"),
        OutboxStatus.fromDb(r.getString("status")), r.getInteger("attempts"),
        r.getOffsetDateTime("next_attempt_at").toInstant(), Optional.ofNullable(r.getString("last_error")),
        r.getOffsetDateTime("created_at").toInstant(),
        Optional.ofNullable(r.getOffsetDateTime("delivered_at")).map(OffsetDateTime::toInstant))));
    return entries;
  }
}

package jp.tsunagu.consent.ledger;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.consent.ConsentError;

/** PostgreSQL consent records in {@code consent.consent_record} and {@code consent.consent_event}. */
public final class PgConsentRepository implements ConsentRepository {
  private static final String COLUMNS = "id, tenant_id, citizen_id, service_id, notice_version, items,"
      + " purposes, state, version, actor_kind, actor_id, channel, evidence_ref, created_at, expires_at,"
      + " state_changed_at, superseded_by";
  private static final String LATEST = "SELECT " + COLUMNS + " FROM consent.consent_record"
      + " WHERE tenant_id = $1 AND citizen_id = $2 AND service_id = $3 ORDER BY record_no DESC LIMIT 1";
  private static final String BY_ID = "SELECT " + COLUMNS + " FROM consent.consent_record WHERE id = $1";
  private static final String BY_CITIZEN = "SELECT " + COLUMNS + " FROM consent.consent_record"
      + " WHERE citizen_id = $1 ORDER BY record_no DESC";
  private static final String DUE_FOR_EXPIRY = "SELECT " + COLUMNS + " FROM consent.consent_record"
      + " WHERE state = 'given' AND expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED";
  private static final String INSERT = "INSERT INTO consent.consent_record (" + COLUMNS
      + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";
  private static final String UPDATE_STATE = "UPDATE consent.consent_record"
      + " SET state = $2, version = $3, state_changed_at = $4, superseded_by = $5"
      + " WHERE id = $1 AND version = $3 - 1";
  private static final String EVENTS = "SELECT id, record_id, record_version, from_state, to_state,"
      + " actor_kind, actor_id, channel, evidence_ref, occurred_at FROM consent.consent_event"
      + " WHERE record_id = $1 ORDER BY record_version";
  private static final String INSERT_EVENT = "INSERT INTO consent.consent_event (id, record_id,"
      + " record_version, from_state, to_state, actor_kind, actor_id, channel, evidence_ref, occurred_at)"
      + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

  @Override
  public Future<Optional<ConsentRecord>> latest(SqlClient client, String tenantId, String citizenId, String serviceId) {
    return client.preparedQuery(LATEST).execute(Tuple.of(tenantId, citizenId, serviceId)).map(PgConsentRepository::first);
  }

  @Override
  public Future<Optional<ConsentRecord>> latestForUpdate(SqlClient client, String tenantId, String citizenId, String serviceId) {
    // the link's own lock first (a hash of it; a collision only makes two links wait for each other): a link without
    // records has no row to lock, and two first decisions would both insert
    return client.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1 || chr(31) || $2 || chr(31) || $3, 0))")
        .execute(Tuple.of(tenantId, citizenId, serviceId))
        .compose(locked -> client.preparedQuery(LATEST + " FOR UPDATE").execute(Tuple.of(tenantId, citizenId, serviceId)))
        .map(PgConsentRepository::first);
  }

  @Override
  public Future<Optional<ConsentRecord>> byId(SqlClient client, UUID id) {
    return client.preparedQuery(BY_ID).execute(Tuple.of(id)).map(PgConsentRepository::first);
  }

  @Override
  public Future<List<ConsentRecord>> byCitizen(SqlClient client, String citizenId) {
    return client.preparedQuery(BY_CITIZEN).execute(Tuple.of(citizenId)).map(PgConsentRepository::all);
  }

  @Override
  public Future<List<ConsentEvent>> events(SqlClient client, UUID recordId) {
    return client.preparedQuery(EVENTS).execute(Tuple.of(recordId)).map(rows -> {
      List<ConsentEvent> events = new ArrayList<>();
      rows.forEach(r -> events.add(new ConsentEvent(r.getUUID("id"), r.getUUID("record_id"),
          r.getInteger("record_version"),
          Optional.ofNullable(r.getString("from_state")).map(ConsentState::fromDb),
          ConsentState.fromDb(r.getString("to_state")), actor(r),
          r.getOffsetDateTime("occurred_at").toInstant())));
      return events;
    });
  }

  @Override
  public Future<List<ConsentRecord>> dueForExpiry(SqlClient client, Instant now, int limit) {
    return client.preparedQuery(DUE_FOR_EXPIRY).execute(Tuple.of(utc(now), limit)).map(PgConsentRepository::all);
  }

  @Override
  public Future<List<ConsentRecord>> givenForService(SqlClient client, String tenantId, String serviceId, int limit) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM consent.consent_record WHERE tenant_id = $1 AND service_id = $2 AND state = 'given' "
            + "ORDER BY record_no LIMIT $3 FOR UPDATE")
        .execute(Tuple.of(tenantId, serviceId, limit)).map(PgConsentRepository::all);
  }

  @Override
  public Future<Void> insert(SqlClient client, ConsentRecord r) {
    Tuple t = Tuple.tuple()
        .addUUID(r.id()).addString(r.tenantId()).addString(r.citizenId()).addString(r.serviceId())
        .addInteger(r.noticeVersion())
        .addArrayOfString(r.items().stream().sorted().toArray(String[]::new))
        .addArrayOfString(r.purposes().stream().sorted().toArray(String[]::new))
        .addString(r.state().dbValue()).addInteger(r.version())
        .addString(r.actor().kind().dbValue()).addString(r.actor().id())
        .addString(r.actor().channel().dbValue()).addString(r.actor().evidenceRef().orElse(null))
        .addOffsetDateTime(utc(r.createdAt()))
        .addOffsetDateTime(r.expiresAt().map(PgConsentRepository::utc).orElse(null))
        .addOffsetDateTime(utc(r.stateChangedAt()))
        .addUUID(r.supersededBy().orElse(null));
    return client.preparedQuery(INSERT).execute(t).mapEmpty();
  }

  @Override
  public Future<Void> updateState(SqlClient client, ConsentRecord r) {
    Tuple t = Tuple.of(r.id(), r.state().dbValue(), r.version(), utc(r.stateChangedAt()),
        r.supersededBy().orElse(null));
    return client.preparedQuery(UPDATE_STATE).execute(t).compose(rows -> rows.rowCount() == 1
        ? Future.succeededFuture()
        : Future.failedFuture(ConsentError.CONCURRENT_CHANGE.exception("consent " + r.id() + " changed meanwhile")));
  }

  @Override
  public Future<Void> appendEvent(SqlClient client, ConsentEvent e) {
    Tuple t = Tuple.tuple()
        .addUUID(e.id()).addUUID(e.recordId()).addInteger(e.recordVersion())
        .addString(e.from().map(ConsentState::dbValue).orElse(null)).addString(e.to().dbValue())
        .addString(e.actor().kind().dbValue()).addString(e.actor().id())
        .addString(e.actor().channel().dbValue()).addString(e.actor().evidenceRef().orElse(null))
        .addOffsetDateTime(utc(e.occurredAt()));
    return client.preparedQuery(INSERT_EVENT).execute(t).mapEmpty();
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Optional<ConsentRecord> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next()));
  }

  private static List<ConsentRecord> all(RowSet<Row> rows) {
    List<ConsentRecord> records = new ArrayList<>(rows.size());
    rows.forEach(r -> records.add(map(r)));
    return records;
  }

  private static Actor actor(Row r) {
    return new Actor(ActorKind.fromDb(r.getString("actor_kind")), r.getString("actor_id"),
        Channel.fromDb(r.getString("channel")), Optional.ofNullable(r.getString("evidence_ref")));
  }

  private static ConsentRecord map(Row r) {
    return new ConsentRecord(
        r.getUUID("id"), r.getString("tenant_id"), r.getString("citizen_id"), r.getString("service_id"),
        r.getInteger("notice_version"),
        Set.of(r.getArrayOfStrings("items")), Set.of(r.getArrayOfStrings("purposes")),
        ConsentState.fromDb(r.getString("state")), r.getInteger("version"), actor(r),
        r.getOffsetDateTime("created_at").toInstant(),
        Optional.ofNullable(r.getOffsetDateTime("expires_at")).map(OffsetDateTime::toInstant),
        r.getOffsetDateTime("state_changed_at").toInstant(),
        Optional.ofNullable(r.getUUID("superseded_by")));
  }
}

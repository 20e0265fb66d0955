package jp.tsunagu.consent.accesslog;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** PostgreSQL chains in {@code consent.access_log} and {@code consent.access_log_head}. */
public final class PgAccessLogRepository implements AccessLogRepository {
  private static final String ENSURE_HEAD = "INSERT INTO consent.access_log_head (citizen_id, seq, head_hash)"
      + " VALUES ($1, 0, $2) ON CONFLICT (citizen_id) DO NOTHING";
  private static final String LOCK_HEAD =
      "SELECT citizen_id, seq, head_hash FROM consent.access_log_head WHERE citizen_id = $1 FOR UPDATE";
  private static final String HEAD =
      "SELECT citizen_id, seq, head_hash FROM consent.access_log_head WHERE citizen_id = $1";
  private static final String MOVE_HEAD =
      "UPDATE consent.access_log_head SET seq = $2, head_hash = $3 WHERE citizen_id = $1";
  private static final String INSERT = "INSERT INTO consent.access_log (citizen_id, seq, tenant_id, service_id,"
      + " access_kind, items, purpose, consent_id, occurred_at, prev_hash, entry_hash)"
      + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
  private static final String ENTRIES = "SELECT citizen_id, seq, tenant_id, service_id, access_kind, items,"
      + " purpose, consent_id, occurred_at, prev_hash, entry_hash FROM consent.access_log"
      + " WHERE citizen_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3";
  private static final String CITIZENS = "SELECT citizen_id FROM consent.access_log_head"
      + " WHERE citizen_id > $1 ORDER BY citizen_id LIMIT $2";

  @Override
  public Future<ChainHead> lockHead(SqlClient client, String citizenId) {
    return client.preparedQuery(ENSURE_HEAD).execute(Tuple.of(citizenId, Buffer.buffer(AccessChain.genesis())))
        .compose(v -> client.preparedQuery(LOCK_HEAD).execute(Tuple.of(citizenId)))
        .map(rows -> head(rows.iterator().next()));
  }

  @Override
  public Future<Optional<ChainHead>> head(SqlClient client, String citizenId) {
    return client.preparedQuery(HEAD).execute(Tuple.of(citizenId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(head(rows.iterator().next())));
  }

  @Override
  public Future<Void> insert(SqlClient client, AccessLogEntry e) {
    Tuple t = Tuple.tuple()
        .addString(e.citizenId()).addLong(e.seq()).addString(e.tenantId()).addString(e.serviceId())
        .addString(e.kind().dbValue()).addArrayOfString(e.items().toArray(String[]::new))
        .addString(e.purpose()).addUUID(e.consentId().orElse(null))
        .addOffsetDateTime(e.occurredAt().atOffset(ZoneOffset.UTC))
        .addBuffer(Buffer.buffer(e.prevHash())).addBuffer(Buffer.buffer(e.entryHash()));
    return client.preparedQuery(INSERT).execute(t).mapEmpty();
  }

  @Override
  public Future<Void> moveHead(SqlClient client, ChainHead head) {
    return client.preparedQuery(MOVE_HEAD)
        .execute(Tuple.of(head.citizenId(), head.seq(), Buffer.buffer(head.headHash()))).mapEmpty();
  }

  @Override
  public Future<List<AccessLogEntry>> entries(SqlClient client, String citizenId, long fromSeq, int limit) {
    return client.preparedQuery(ENTRIES).execute(Tuple.of(citizenId, fromSeq, limit)).map(rows -> {
      List<AccessLogEntry> entries = new ArrayList<>(rows.size());
      rows.forEach(r -> entries.add(entry(r)));
      return entries;
    });
  }

  @Override
  public Future<List<String>> citizens(SqlClient client, String afterCitizenId, int limit) {
    return client.preparedQuery(CITIZENS).execute(Tuple.of(afterCitizenId, limit)).map(rows -> {
      List<String> ids = new ArrayList<>(rows.size());
      rows.forEach(r -> ids.add(r.getString("citizen_id")));
      return ids;
    });
  }

  private static ChainHead head(Row r) {
    return new ChainHead(r.getString("citizen_id"), r.getLong("seq"), r.getBuffer("head_hash").getBytes());
  }

  private static AccessLogEntry entry(Row r) {
    return new AccessLogEntry(r.getString("citizen_id"), r.getLong("seq"), r.getString("tenant_id"),
        r.getString("service_id"), AccessKind.fromDb(r.getString("access_kind")),
        List.of(r.getArrayOfStrings("items")), r.getString("purpose"),
        Optional.ofNullable(r.getUUID("consent_id")),
        r.getOffsetDateTime("occurred_at").toInstant(),
        r.getBuffer("prev_hash").getBytes(), r.getBuffer("entry_hash").getBytes());
  }
}

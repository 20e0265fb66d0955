package jp.tsunagu.consent.decision;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;
import jp.tsunagu.consent.ledger.ConsentState;

/** One query: the link's latest record and the service's notice version in force. */
public final class PgDecisionRepository implements DecisionRepository {
  private static final String SNAPSHOT = "SELECT r.id, r.state, r.notice_version, r.items, r.purposes,"
      + " r.expires_at, (SELECT max(d.notice_version) FROM consent.service_declaration d"
      + "   WHERE d.tenant_id = $1 AND d.service_id = $3) AS current_notice"
      + " FROM consent.consent_record r"
      + " WHERE r.tenant_id = $1 AND r.citizen_id = $2 AND r.service_id = $3"
      + " ORDER BY r.record_no DESC LIMIT 1";

  private final SqlClient client;

  public PgDecisionRepository(SqlClient client) {
    this.client = client;
  }

  @Override
  public Future<ConsentSnapshot> snapshot(ConsentKey key) {
    return client.preparedQuery(SNAPSHOT)
        .execute(Tuple.of(key.tenantId(), key.citizenId(), key.serviceId()))
        .map(rows -> rows.size() == 0 ? ConsentSnapshot.none() : map(rows.iterator().next()));
  }

  private static ConsentSnapshot map(Row r) {
    Integer current = r.getInteger("current_notice");
    return new ConsentSnapshot(r.getUUID("id"), ConsentState.fromDb(r.getString("state")),
        r.getInteger("notice_version"), current == null ? 0 : current,
        Set.of(r.getArrayOfStrings("items")), Set.of(r.getArrayOfStrings("purposes")),
        Optional.ofNullable(r.getOffsetDateTime("expires_at")).map(OffsetDateTime::toInstant).orElse(null));
  }
}

package jp.tsunagu.consent.declaration;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** PostgreSQL declarations in {@code consent.service_declaration}. */
public final class PgDeclarationRepository implements DeclarationRepository {
  private static final String COLUMNS =
      "tenant_id, service_id, notice_version, notice_ja, notice_en, items, purposes, audience,"
          + " set_endpoint, published_at";
  private static final String SELECT_CURRENT = "SELECT " + COLUMNS
      + " FROM consent.service_declaration WHERE tenant_id = $1 AND service_id = $2"
      + " ORDER BY notice_version DESC LIMIT 1";
  private static final String INSERT = "INSERT INTO consent.service_declaration (" + COLUMNS
      + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

  @Override
  public Future<Optional<ServiceDeclaration>> current(SqlClient client, String tenantId, String serviceId) {
    return client.preparedQuery(SELECT_CURRENT).execute(Tuple.of(tenantId, serviceId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
  }

  @Override
  public Future<Void> insert(SqlClient client, ServiceDeclaration d) {
    Tuple t = Tuple.tuple()
        .addString(d.tenantId()).addString(d.serviceId()).addInteger(d.noticeVersion())
        .addString(d.notice().ja()).addString(d.notice().en())
        .addValue(itemsJson(d.items())).addValue(purposesJson(d.purposes()))
        .addString(d.audience()).addString(d.setEndpoint().map(URI::toString).orElse(null))
        .addOffsetDateTime(d.publishedAt().atOffset(ZoneOffset.UTC));
    return client.preparedQuery(INSERT).execute(t).mapEmpty();
  }

  private static JsonArray itemsJson(List<DeclaredItem> items) {
    var array = new JsonArray();
    items.forEach(i -> array.add(new JsonObject().put("id", i.id()).put("required", i.required())
        .put("ja", i.label().ja()).put("en", i.label().en())));
    return array;
  }

  private static JsonArray purposesJson(List<DeclaredPurpose> purposes) {
    var array = new JsonArray();
    purposes.forEach(p -> array.add(new JsonObject().put("id", p.id())
        .put("ja", p.label().ja()).put("en", p.label().en())));
    return array;
  }

  private static ServiceDeclaration map(Row row) {
    List<DeclaredItem> items = row.getJsonArray("items").stream().map(JsonObject.class::cast)
        .map(o -> new DeclaredItem(o.getString("id"), o.getBoolean("required"),
            new LocalizedText(o.getString("ja"), o.getString("en"))))
        .toList();
    List<DeclaredPurpose> purposes = row.getJsonArray("purposes").stream().map(JsonObject.class::cast)
        .map(o -> new DeclaredPurpose(o.getString("id"), new LocalizedText(o.getString("ja"), o.getString("en"))))
        .toList();
    return new ServiceDeclaration(
        row.getString("tenant_id"), row.getString("service_id"), row.getInteger("notice_version"),
        new LocalizedText(row.getString("notice_ja"), row.getString("notice_en")),
        items, purposes, row.getString("audience"),
        Optional.ofNullable(row.getString("set_endpoint")).map(URI::create),
        row.getOffsetDateTime("published_at").toInstant());
  }
}

package jp.tsunagu.platform.content;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import jp.tsunagu.platform.audit.AuditLog;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.search.facility.Facility;
import jp.tsunagu.search.facility.FacilityCsvImporter;
import jp.tsunagu.search.facility.FacilityImportException;

/**
 * A municipality's facilities (nurseries, libraries, clinics, shelters): a CSV import replaces the
 * whole list in PostgreSQL in one transaction with one {@code facilities_replaced} change, which
 * every node's facility index then applies.
 */
public final class FacilityService {
  private final Vertx vertx;
  private final FacilityRepository facilities;
  private final ContentRepository content;
  private final WorkerExecutor workers;

  public FacilityService(Vertx vertx, FacilityRepository facilities, ContentRepository content, WorkerExecutor workers) {
    this.vertx = vertx;
    this.facilities = facilities;
    this.content = content;
    this.workers = workers;
  }

  public FacilityRepository repository() {
    return facilities;
  }

  /** Checks every row (all or nothing, each bad line reported) and replaces the municipality's list. */
  public Future<Integer> importCsv(Author author, String tenant, String csv) {
    return workers.executeBlocking(() -> new FacilityCsvImporter().read(tenant, new StringReader(csv)), false)
        .recover(err -> Future.failedFuture(err instanceof FacilityImportException e ? rowErrors(e) : err))
        .compose(list -> replace(author, tenant, list));
  }

  private Future<Integer> replace(Author author, String tenant, List<Facility> list) {
    return content.pool().withTransaction(tx -> facilities.replace(tx, tenant, list)
            .compose(v -> content.appendChange(tx, tenant, "facilities_replaced", null))
            .compose(row -> AuditLog.record(tx, tenant, author.staffId(), "facilities.imported", "tenant", tenant,
                    author.toJson().put("count", list.size()).put("changeId", row.getLong("id")))
                .map(new ContentEvent(row.getLong("id"), "facilities_replaced", tenant, null, null, null, null, null, null,
                    null, row.getOffsetDateTime("at"), null))))
        .onSuccess(event -> vertx.eventBus().publish(ContentAddresses.FACILITIES_REPLACED, event.toJson()))
        .map(list.size());
  }

  private static ProblemException rowErrors(FacilityImportException e) {
    JsonArray errors = new JsonArray();
    e.errors().forEach(r -> errors.add(new JsonObject().put("line", r.line()).put("reason", r.reason())));
    return new ProblemException(422, "invalid-csv-rows", "Some rows are invalid",
        e.errors().size() + " row(s) are invalid; nothing was imported", new JsonObject().put("errors", errors));
  }
}

package jp.tsunagu.platform.sitesearch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.platform.audit.AuditLog;
import jp.tsunagu.platform.content.Author;
import jp.tsunagu.platform.content.ContentAddresses;
import jp.tsunagu.platform.content.ContentRepository;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.search.analysis.TenantAnalysis;

/**
 * Staff edit a municipality's user dictionary, synonyms and best bets. The settings are checked by
 * building the analysis they describe (a bad line is a 400), stored with one
 * {@code search_settings_changed} change, and applied by every node's indexer in log order; a
 * changed dictionary also asks every node to rebuild its index, since it changes how pages are cut
 * into words.
 */
public final class SearchSettingsService {
  private static final int MAX_BEST_BETS = 500;

  private final Vertx vertx;
  private final Pool pool;
  private final ContentRepository content;
  private final IndexRebuilds rebuilds;
  private final WorkerExecutor workers;

  public SearchSettingsService(Vertx vertx, Pool pool, ContentRepository content, IndexRebuilds rebuilds, WorkerExecutor workers) {
    this.vertx = vertx;
    this.pool = pool;
    this.content = content;
    this.rebuilds = rebuilds;
    this.workers = workers;
  }

  public Future<SearchSettings> get(String tenant) {
    return pool.preparedQuery("SELECT * FROM search_settings WHERE tenant_code = $1").execute(Tuple.of(tenant))
        .map(rows -> rows.size() == 0 ? SearchSettings.empty(tenant) : map(rows.iterator().next()));
  }

  /** Every municipality's settings (a node applies them all at start). */
  public Future<List<SearchSettings>> all() {
    return pool.query("SELECT * FROM search_settings").execute().map(rows -> {
      List<SearchSettings> out = new ArrayList<>();
      rows.forEach(r -> out.add(map(r)));
      return out;
    });
  }

  /** Stores the settings; the answer says whether every node was asked to rebuild (the dictionary changed). */
  public Future<JsonObject> save(Author author, SearchSettings next) {
    if (next.bestBets().size() > MAX_BEST_BETS) {
      return Future.failedFuture(ProblemException.badRequest("invalid-settings", "at most " + MAX_BEST_BETS + " best bets"));
    }
    return workers.executeBlocking(() -> {
          TenantAnalysis.of(next.userDictionary(), next.synonyms()).close();
          return null;
        }, false)
        .recover(SearchService::problem)
        .compose(v -> get(next.tenantCode()))
        .compose(previous -> pool.withTransaction(tx -> checkPages(tx, next)
                .compose(x -> tx.preparedQuery("INSERT INTO search_settings (tenant_code, user_dictionary, synonyms, best_bets, updated_at) "
                        + "VALUES ($1, $2, $3, $4, now()) ON CONFLICT (tenant_code) DO UPDATE SET user_dictionary = EXCLUDED.user_dictionary, "
                        + "synonyms = EXCLUDED.synonyms, best_bets = EXCLUDED.best_bets, updated_at = now()")
                    .execute(Tuple.of(next.tenantCode(), next.userDictionary(), next.synonyms(), next.bestBetsJson())))
                .compose(x -> content.appendChange(tx, next.tenantCode(), "search_settings_changed", null))
                .compose(row -> AuditLog.record(tx, next.tenantCode(), author.staffId(), "search-settings.saved", "tenant",
                    next.tenantCode(), author.toJson().put("changeId", row.getLong("id"))
                        .put("dictionaryChanged", !previous.userDictionary().equals(next.userDictionary()))).map(row.getLong("id"))))
            .map(changeId -> {
              vertx.eventBus().publish(ContentAddresses.SEARCH_SETTINGS_CHANGED,
                  new JsonObject().put("changeId", changeId).put("kind", "search_settings_changed").put("tenantCode", next.tenantCode()));
              boolean rebuild = !previous.userDictionary().equals(next.userDictionary());
              if (rebuild) {
                rebuilds.request(author.staffId(), changeId);
              }
              return next.toJson().put("rebuildRequested", rebuild);
            }));
  }

  /** Every pinned page must be a page of the municipality. */
  private static Future<Void> checkPages(SqlClient tx, SearchSettings s) {
    Set<UUID> ids = new LinkedHashSet<>();
    for (List<String> list : s.bestBets().values()) {
      for (String id : list) {
        try {
          ids.add(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
          return Future.failedFuture(ProblemException.unprocessable("unknown-page", "'" + id + "' is not a page id"));
        }
      }
    }
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery("SELECT count(*) FROM content_page WHERE tenant_code = $1 AND id = ANY($2)")
        .execute(Tuple.of(s.tenantCode()).addArrayOfUUID(ids.toArray(UUID[]::new)))
        .compose(rows -> rows.iterator().next().getLong(0) == ids.size() ? Future.succeededFuture()
            : Future.failedFuture(ProblemException.unprocessable("unknown-page", "A best bet names a page the municipality does not have")));
  }

  private static SearchSettings map(Row r) {
    Object bets = r.getValue("best_bets");
    return new SearchSettings(r.getString("tenant_code"), r.getString("user_dictionary"), r.getString("synonyms"),
        SearchSettings.bestBets(bets instanceof io.vertx.core.json.JsonArray a ? a : new io.vertx.core.json.JsonArray()));
  }
}

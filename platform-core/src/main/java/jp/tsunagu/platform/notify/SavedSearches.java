package jp.tsunagu.platform.notify;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.search.InvalidSearchRequestException;
import jp.tsunagu.search.alert.SavedSearch;
import jp.tsunagu.search.alert.SavedSearchMatcher;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.page.Page;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's copy of every saved-search subscription, as a Lucene Monitor ({@link SavedSearchMatcher}),
 * kept in step with PostgreSQL by replaying {@code subscription} rows in version order (added and
 * removed ones alike). All Lucene work runs on the single thread of {@code tsunagu-notify-match}.
 */
public final class SavedSearches {
  private static final Logger LOG = LoggerFactory.getLogger(SavedSearches.class);
  private static final int BATCH = 1000;

  private final Pool pool;
  private final WorkerExecutor worker;
  private final SavedSearchMatcher matcher;
  private final SavedSearchMatcher checker;
  private long version;

  public SavedSearches(Pool pool, WorkerExecutor worker, AnalysisRegistry analysis) {
    this.pool = pool;
    this.worker = worker;
    this.matcher = new SavedSearchMatcher(analysis);
    this.checker = new SavedSearchMatcher(analysis);
  }

  /** Fails with a 400 problem when the search cannot be registered (syntax, unknown facet, "published"). */
  public Future<Void> check(SavedSearch search) {
    return worker.executeBlocking(() -> {
      try {
        checker.register(search);
        checker.unregister(search.id());
        return null;
      } catch (InvalidSearchRequestException e) {
        throw ProblemException.badRequest("invalid-search", e.getMessage());
      }
    }, true);
  }

  /** Applies every subscription change since the last call; completes when the monitor holds them. */
  public Future<Void> sync() {
    return pool.preparedQuery("SELECT id, tenant_code, search_text, search_filters, deleted_at IS NOT NULL AS removed, version "
            + "FROM subscription WHERE kind = 'search' AND version > $1 ORDER BY version LIMIT $2")
        .execute(Tuple.of(version, BATCH))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture();
          }
          List<Row> list = new ArrayList<>();
          rows.forEach(list::add);
          return worker.executeBlocking(() -> {
            for (Row r : list) {
              apply(r);
              version = r.getLong("version");
            }
            return list.size();
          }, true).compose(n -> n == BATCH ? sync() : Future.succeededFuture());
        });
  }

  private void apply(Row r) {
    String id = r.getUUID("id").toString();
    if (r.getBoolean("removed")) {
      matcher.unregister(id);
      return;
    }
    Map<String, List<String>> filters = new LinkedHashMap<>();
    JsonObject json = r.getJsonObject("search_filters");
    if (json != null) {
      json.forEach(e -> filters.put(e.getKey(), ((JsonArray) e.getValue()).stream().map(String::valueOf).toList()));
    }
    try {
      matcher.register(new SavedSearch(id, r.getString("tenant_code"), r.getString("search_text"), filters));
    } catch (InvalidSearchRequestException e) {
      // checked when stored; a rule that tightened since would fail on every node: skip it, loudly
      LOG.error("saved search {} cannot be registered and is skipped: {}", id, e.getMessage());
    }
  }

  /** Ids of the saved-search subscriptions the page matches. */
  public Future<List<String>> match(Page page) {
    return worker.executeBlocking(() -> matcher.match(page), true);
  }

  public Future<Void> close() {
    return worker.executeBlocking(() -> {
      try {
        matcher.close();
        checker.close();
      } catch (IOException e) {
        LOG.warn("closing the saved-search matcher: {}", e.getMessage());
      }
      return null;
    }, true);
  }
}

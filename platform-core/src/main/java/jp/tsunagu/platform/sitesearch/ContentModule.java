package jp.tsunagu.platform.sitesearch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.platform.config.TsunaguConfig;
import jp.tsunagu.platform.content.ContentRepository;
import jp.tsunagu.platform.content.ContentService;
import jp.tsunagu.platform.content.FacilityRepository;
import jp.tsunagu.platform.content.FacilityService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wiring of municipal content and search on one node: the content and facility services, this
 * node's indexes, the indexer that feeds them from the change log, rebuilds, and the searches.
 * {@link #stop} stops feeding, commits and closes the indexes.
 */
public record ContentModule(
    ContentService content,
    FacilityService facilities,
    SearchService search,
    FacilitySearch facilitySearch,
    ContentIndexer indexer,
    IndexRebuilds rebuilds,
    SearchIndexes indexes,
    jp.tsunagu.platform.crawl.CrawlService crawl,
    SearchSettingsService settings,
    String nodeId,
    WorkerExecutor contentWorkers) {
  private static final Logger LOG = LoggerFactory.getLogger(ContentModule.class);

  public static Future<ContentModule> start(Vertx vertx, com.hazelcast.core.HazelcastInstance hazelcast, Pool pool,
                                            TsunaguConfig config, String nodeId) {
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("tsunagu-content", 2, 30, TimeUnit.SECONDS);
    ContentRepository pages = new ContentRepository(pool);
    FacilityRepository facilityRows = new FacilityRepository(pool);
    return SearchIndexes.open(vertx, Path.of(config.get(TsunaguConfig.SEARCH_DATA_DIR)), config.get(TsunaguConfig.SEARCH_WORKERS),
        config.get(TsunaguConfig.SEARCH_QUEUE_LIMIT))
        .compose(indexes -> {
          IndexRebuilds rebuilds = new IndexRebuilds(vertx, pool, pages, facilityRows, indexes, nodeId);
          SearchSettingsService settings = new SearchSettingsService(vertx, pool, pages, rebuilds, workers);
          ContentIndexer indexer = new ContentIndexer(vertx, pages, facilityRows, settings, indexes,
              config.get(TsunaguConfig.SEARCH_COMMIT_SECONDS) * 1000L);
          rebuilds.followIndexer(indexer::pagesApplied);
          SearchService search = new SearchService(pool, indexes);
          ContentService content = new ContentService(vertx, pages, workers);
          jp.tsunagu.platform.crawl.CrawlService crawl = jp.tsunagu.platform.crawl.CrawlService.start(vertx, hazelcast,
              new jp.tsunagu.platform.crawl.CrawlRepository(pool), content, workers, config, nodeId);
          ContentModule module = new ContentModule(content, new FacilityService(vertx, facilityRows, pages, workers), search,
              new FacilitySearch(search, indexes, facilityRows), indexer, rebuilds, indexes, crawl, settings, nodeId, workers);
          return indexer.start(config.get(TsunaguConfig.SEARCH_POLL_MILLIS))
              .compose(v -> rebuilds.start())
              .onSuccess(v -> rebuildIfWrittenBefore(vertx, indexes, rebuilds))
              .map(module);
        });
  }

  /**
   * An index written by an earlier version of the platform (without the fields this one ranks by)
   * answers correctly but more slowly; this node rebuilds it from PostgreSQL in the background, as
   * a staff-requested rebuild does, while searches keep answering from the old one.
   */
  private static void rebuildIfWrittenBefore(Vertx vertx, SearchIndexes indexes, IndexRebuilds rebuilds) {
    vertx.executeBlocking(() -> indexes.pages().writtenAsCurrent(), false)
        .compose(current -> {
          if (current) {
            return Future.succeededFuture();
          }
          LOG.info("the page index was written by an earlier version; rebuilding it from PostgreSQL");
          return rebuilds.run(java.util.UUID.randomUUID(), null);
        })
        .onFailure(err -> LOG.warn("the page index could not be checked or rebuilt at start: {}", err.toString()));
  }

  public Future<Void> stop() {
    return crawl.stop()
        .eventually(rebuilds::stop)
        .eventually(indexer::stop)
        .eventually(indexes::close)
        .eventually(() -> contentWorkers.close());
  }
}

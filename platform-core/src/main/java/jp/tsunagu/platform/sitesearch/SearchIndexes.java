package jp.tsunagu.platform.sitesearch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.platform.ratelimit.BoundedWorkers;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.analysis.AnalyzedText;
import jp.tsunagu.search.facility.FacilityIndex;
import jp.tsunagu.search.page.PageIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's own Lucene replicas (pages and facilities, under {@code search.dataDir}) and the
 * worker pools that touch them: searches on {@code tsunagu-search}, index writes on the single
 * thread of {@code tsunagu-index} (so changes apply in log order), commits on the single thread of
 * {@code tsunagu-index-commit} (so that writes and reopens never wait for an fsync), rebuilds on
 * {@code tsunagu-rebuild}. Nothing here runs on an event loop.
 */
public final class SearchIndexes {
  private static final Logger LOG = LoggerFactory.getLogger(SearchIndexes.class);

  private final AnalysisRegistry analysis;
  private final PageIndex pages;
  private final FacilityIndex facilities;
  private final WorkerExecutor queries;
  /** The query pool with its queue bounded by {@code search.queueLimit}. */
  private final BoundedWorkers searches;
  private final WorkerExecutor writer;
  private final WorkerExecutor committer;
  private final WorkerExecutor rebuilder;

  private SearchIndexes(AnalysisRegistry analysis, PageIndex pages, FacilityIndex facilities, WorkerExecutor queries, int queueLimit,
                        WorkerExecutor writer, WorkerExecutor committer, WorkerExecutor rebuilder) {
    this.analysis = analysis;
    this.pages = pages;
    this.facilities = facilities;
    this.queries = queries;
    this.searches = new BoundedWorkers(queries, queueLimit, () -> new Busy(queueLimit));
    this.writer = writer;
    this.committer = committer;
    this.rebuilder = rebuilder;
  }

  /** Opens (or creates) the indexes under {@code dataDir}; the opening itself is disk work, done on a worker. */
  public static Future<SearchIndexes> open(Vertx vertx, Path dataDir, int queryThreads, int queueLimit) {
    WorkerExecutor queries = vertx.createSharedWorkerExecutor("tsunagu-search", queryThreads, 30, TimeUnit.SECONDS);
    WorkerExecutor writer = vertx.createSharedWorkerExecutor("tsunagu-index", 1, 10, TimeUnit.MINUTES);
    WorkerExecutor committer = vertx.createSharedWorkerExecutor("tsunagu-index-commit", 1, 10, TimeUnit.MINUTES);
    WorkerExecutor rebuilder = vertx.createSharedWorkerExecutor("tsunagu-rebuild", 1, 24, TimeUnit.HOURS);
    return writer.executeBlocking(() -> {
      AnalysisRegistry analysis = new AnalysisRegistry();
      PageIndex pages = PageIndex.open(dataDir.resolve("pages"), analysis);
      FacilityIndex facilities = FacilityIndex.open(dataDir.resolve("facilities"), analysis);
      LOG.info("search index at {}: {} pages, generation {}, committed through change {}", dataDir, pages.count(),
          pages.generation(), pages.committedSequence());
      warmUp(analysis);
      return new SearchIndexes(analysis, pages, facilities, queries, queueLimit, writer, committer, rebuilder);
    });
  }

  /**
   * Analyses a sample once, so that the Japanese dictionaries load now rather than when the first
   * page arrives and waits for them.
   */
  private static void warmUp(AnalysisRegistry analysis) {
    AnalyzedText.analyze(analysis.forTenant("000000").indexSurface(), "body", "島田市役所で子育て支援の申し込みを受け付けます。");
  }

  public PageIndex pages() {
    return pages;
  }

  public FacilityIndex facilities() {
    return facilities;
  }

  public AnalysisRegistry analysis() {
    return analysis;
  }

  /** Runs a search on the query pool, or refuses it at once ({@link Busy}) when the pool's queue is full. */
  public <T> Future<T> query(Callable<T> work) {
    return searches.submit(work);
  }

  /** Searches accepted and not yet answered on this node. */
  int accepted() {
    return searches.accepted();
  }

  /** A search refused because the node's search queue is full; a signal, so it has no stack trace. */
  public static final class Busy extends RuntimeException {
    Busy(int limit) {
      super("The node has " + limit + " searches running or waiting", null, false, false);
    }
  }

  /** Runs an index write on the single writer thread, after every write submitted before it. */
  public <T> Future<T> write(Callable<T> work) {
    return writer.executeBlocking(work, true);
  }

  /** Runs a commit on the single commit thread, after every commit submitted before it. */
  public <T> Future<T> commit(Callable<T> work) {
    return committer.executeBlocking(work, true);
  }

  /** Runs a rebuild on its own thread, so changes keep applying to the live index meanwhile. */
  public <T> Future<T> rebuild(Callable<T> work) {
    return rebuilder.executeBlocking(work, false);
  }

  /** Closes the indexes (committing what was written) once a running commit is done, then the pools. */
  public Future<Void> close() {
    return committer.executeBlocking(() -> null, true).<Void>mapEmpty().recover(e -> Future.succeededFuture())
        .compose(v -> writer.executeBlocking(() -> {
          facilities.close();
          pages.close();
          analysis.close();
          return null;
        })).<Void>mapEmpty().eventually(() -> {
          queries.close();
          rebuilder.close();
          committer.close();
          return writer.close();
        });
  }
}

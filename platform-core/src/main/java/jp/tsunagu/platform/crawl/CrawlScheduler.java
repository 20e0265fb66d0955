package jp.tsunagu.platform.crawl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every node looks for due sources on a timer and crawls one at a time; the lease in PostgreSQL
 * makes sure no two nodes crawl the same source at once. A finished run looks for the next due
 * source at once.
 */
public final class CrawlScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(CrawlScheduler.class);

  private final Vertx vertx;
  private final CrawlRepository repository;
  private final Crawler crawler;
  private final HttpFetcher fetcher;
  private final String nodeId;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean stopped;
  private long timer = -1;

  CrawlScheduler(Vertx vertx, CrawlRepository repository, Crawler crawler, HttpFetcher fetcher, String nodeId) {
    this.vertx = vertx;
    this.repository = repository;
    this.crawler = crawler;
    this.fetcher = fetcher;
    this.nodeId = nodeId;
  }

  void start(int checkSeconds) {
    timer = vertx.setPeriodic(checkSeconds * 1000L, id -> wake());
  }

  /** Crawls due sources until none is left (unless a round runs already). */
  public void wake() {
    if (stopped || !running.compareAndSet(false, true)) {
      return;
    }
    repository.claim(nodeId)
        .compose(claimed -> claimed.isEmpty() ? Future.succeededFuture(false)
            : repository.startRun(claimed.get().id(), nodeId)
                .compose(runId -> crawler.run(claimed.get())
                    .compose(report -> repository.finishRun(runId, report)
                        .compose(v -> repository.release(claimed.get(), nodeId, report.etag, report.lastModified))))
                .map(true))
        .onComplete(ar -> {
          running.set(false);
          if (ar.failed()) {
            LOG.warn("crawl round failed: {}", ar.cause().toString());
          } else if (ar.result()) {
            wake();
          }
        });
  }

  public Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return fetcher.close().recover(e -> Future.succeededFuture());
  }
}

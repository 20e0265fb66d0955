package jp.tsunagu.platform.crawl;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.platform.account.AccountService;
import jp.tsunagu.platform.config.TsunaguConfig;
import jp.tsunagu.platform.content.ContentService;
import jp.tsunagu.platform.http.ProblemException;

/** Staff's side of the crawler: sources, a run on demand, the reports. */
public final class CrawlService {
  private static final Set<String> KINDS = Set.of("sitemap", "feed");
  /** A host's turn is held a little longer than one request may take. */
  private static final long HOLD_MARGIN_MILLIS = 5_000;

  private final CrawlRepository repository;
  private final CrawlScheduler scheduler;

  private CrawlService(CrawlRepository repository, CrawlScheduler scheduler) {
    this.repository = repository;
    this.scheduler = scheduler;
  }

  /** Builds the crawler of this node and, when crawling is on, starts looking for due sources. */
  public static CrawlService start(Vertx vertx, HazelcastInstance hazelcast, CrawlRepository repository, ContentService content,
                                   WorkerExecutor workers, TsunaguConfig config, String nodeId) {
    HttpFetcher fetcher = new HttpFetcher(vertx, config.get(TsunaguConfig.CRAWL_MAX_BYTES),
        config.get(TsunaguConfig.CRAWL_TIMEOUT_SECONDS) * 1000L, config.get(TsunaguConfig.CRAWL_USER_AGENT));
    Crawler crawler = new Crawler(fetcher, new Politeness(vertx, hazelcast.getMap(Politeness.MAP),
        config.get(TsunaguConfig.CRAWL_TIMEOUT_SECONDS) * 1000L + HOLD_MARGIN_MILLIS), repository, content, workers,
        new Crawler.Limits(config.get(TsunaguConfig.CRAWL_HOST_DELAY_MILLIS), config.get(TsunaguConfig.CRAWL_MAX_REDIRECTS),
            config.get(TsunaguConfig.CRAWL_MAX_PAGES_PER_RUN), config.get(TsunaguConfig.CRAWL_ALLOW_PRIVATE_ADDRESSES),
            config.get(TsunaguConfig.CRAWL_MAX_WITHDRAW_PERCENT)));
    CrawlScheduler scheduler = new CrawlScheduler(vertx, repository, crawler, fetcher, nodeId);
    if (config.get(TsunaguConfig.CRAWL_ENABLED)) {
      scheduler.start(config.get(TsunaguConfig.CRAWL_CHECK_SECONDS));
    }
    return new CrawlService(repository, scheduler);
  }

  public Future<CrawlSource> create(String tenant, String kind, String url, int intervalMinutes, String category) {
    if (!KINDS.contains(kind)) {
      return Future.failedFuture(ProblemException.badRequest("invalid-source", "kind must be sitemap or feed"));
    }
    URI uri;
    try {
      uri = new URI(url == null ? "" : url.strip());
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      return Future.failedFuture(ProblemException.badRequest("invalid-source", "url must be an absolute http(s) address"));
    }
    if (intervalMinutes < 5 || intervalMinutes > 10080) {
      return Future.failedFuture(ProblemException.badRequest("invalid-source", "intervalMinutes must be 5 to 10080"));
    }
    CrawlSource s = new CrawlSource(UUID.randomUUID(), tenant, kind, uri.toString(), intervalMinutes,
        category == null || category.isBlank() ? null : category.strip(), true, null, null, null);
    return repository.create(s)
        .recover(err -> AccountService.isUniqueViolation(err)
            ? Future.failedFuture(ProblemException.conflict("source-exists", "The municipality has a source with this URL"))
            : err instanceof PgException pg && "23503".equals(pg.getSqlState())
                ? Future.failedFuture(ProblemException.unprocessable("unknown-term", "The municipality has no category '" + category + "'"))
                : Future.failedFuture(err));
  }

  public Future<List<JsonObject>> list(String tenant) {
    return repository.list(tenant);
  }

  /** Makes the source due and wakes this node's crawler (another node may take it first). */
  public Future<Void> runNow(String tenant, UUID id) {
    return repository.dueNow(tenant, id).compose(found -> {
      if (!found) {
        return Future.failedFuture(ProblemException.notFound("Crawl source " + id));
      }
      scheduler.wake();
      return Future.succeededFuture();
    });
  }

  public Future<List<JsonObject>> runs(String tenant, UUID id, int limit) {
    return repository.find(tenant, id).compose(s -> s.isEmpty() ? Future.failedFuture(ProblemException.notFound("Crawl source " + id))
        : repository.runs(id, limit));
  }

  public Future<Void> stop() {
    return scheduler.stop();
  }
}

package jp.tsunagu.platform.crawl;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import io.vertx.core.Future;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * robots.txt of the hosts one run visits, fetched once per host and run (crawler-commons parser,
 * RFC 9309): a missing file (4xx) allows everything, an unreachable one (5xx, network) nothing.
 */
final class RobotsRules {
  static final String AGENT = "tsunagubot";
  private static final long MAX_CRAWL_DELAY_MILLIS = 30_000;

  private final HttpFetcher fetcher;
  private final Politeness politeness;
  private final long delayMillis;
  private final Map<String, Future<BaseRobotRules>> byHost = new HashMap<>();

  RobotsRules(HttpFetcher fetcher, Politeness politeness, long delayMillis) {
    this.fetcher = fetcher;
    this.politeness = politeness;
    this.delayMillis = delayMillis;
  }

  Future<Boolean> allowed(String url) {
    return rules(url).map(r -> r.isAllowed(url));
  }

  /** The delay to keep between requests to the URL's host: ours, or the host's Crawl-delay if longer (capped). */
  Future<Long> delay(String url) {
    return rules(url).map(r -> r.getCrawlDelay() == BaseRobotRules.UNSET_CRAWL_DELAY ? delayMillis
        : Math.max(delayMillis, Math.min(MAX_CRAWL_DELAY_MILLIS, r.getCrawlDelay())));
  }

  private Future<BaseRobotRules> rules(String url) {
    URI uri = URI.create(url);
    String origin = uri.getScheme() + "://" + uri.getRawAuthority();
    return byHost.computeIfAbsent(origin, o -> {
      SimpleRobotRulesParser parser = new SimpleRobotRulesParser();
      String robotsUrl = o + "/robots.txt";
      return politeness.politely(uri.getRawAuthority(), delayMillis, () -> fetcher.get(robotsUrl, null, null))
          .map(r -> r.status() == 200
              ? (BaseRobotRules) parser.parseContent(robotsUrl, r.body().getBytes(), r.header("Content-Type"), List.of(AGENT))
              : parser.failedFetch(r.status()))
          .recover(err -> Future.succeededFuture(parser.failedFetch(503)));
    });
  }
}

package jp.tsunagu.platform.crawl;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import jp.tsunagu.platform.content.Author;
import jp.tsunagu.platform.content.ContentService;
import jp.tsunagu.platform.content.PageDraft;
import jp.tsunagu.platform.crawl.FeedParser.Entry;
import jp.tsunagu.platform.crawl.HttpFetcher.FetchFailed;
import jp.tsunagu.platform.crawl.HttpFetcher.Response;
import jp.tsunagu.platform.http.ProblemException;

/**
 * One run of one source: the sitemap or feed is fetched (conditionally: an unchanged one ends the
 * run), parsed, and every entry on the source's host is fetched in turn (robots.txt obeyed, one
 * request at a time to a host across the cluster with a delay between them ({@link Politeness}), redirects followed a few times at most, each response size- and
 * time-limited, conditional GET with the page's last validators) and published through the content
 * service like any CMS push. Whatever cannot be used is skipped and listed in the run's report.
 *
 * <p>After a sitemap run, the pages this source brought in that the sitemap no longer lists are
 * withdrawn — only after a complete listing (fetched with 200, every nested sitemap read, nothing
 * cut off, at least one page), only pages whose last writer was a crawler and that no other source
 * leads to, and at most {@code maxWithdrawPercent} of them in one run (at least one page): when
 * more are missing, none is withdrawn and the report says so, since a sitemap that lost most of
 * its entries is more likely broken than a site that lost most of its pages. Feeds list only
 * recent items, so a page that leaves a feed stays.
 */
final class Crawler {
  /** Limits of a run. */
  record Limits(long delayMillis, int maxRedirects, int maxPages, boolean allowPrivateAddresses, int maxWithdrawPercent) {}

  /**
   * The page entries of a sitemap or feed, and why the listing may not be whole (a nested sitemap
   * that could not be read, entries cut off), or null when it is.
   */
  record Listing(List<Entry> pages, String incomplete) {}

  private static final int MAX_NESTED_SITEMAPS = 10;

  private final HttpFetcher fetcher;
  private final Politeness politeness;
  private final CrawlRepository repository;
  private final ContentService content;
  private final WorkerExecutor workers;
  private final Limits limits;

  Crawler(HttpFetcher fetcher, Politeness politeness, CrawlRepository repository, ContentService content,
          WorkerExecutor workers, Limits limits) {
    this.fetcher = fetcher;
    this.politeness = politeness;
    this.repository = repository;
    this.content = content;
    this.workers = workers;
    this.limits = limits;
  }

  /** Runs the source; the report always completes (a failed run says why). */
  Future<CrawlReport> run(CrawlSource source) {
    CrawlReport report = new CrawlReport();
    RobotsRules robots = new RobotsRules(fetcher, politeness, limits.delayMillis());
    report.etag = source.etag();
    report.lastModified = source.lastModified();
    return fetch(robots, source.url(), source.etag(), source.lastModified())
        .compose(r -> {
          if (r.status() == 304) {
            report.status = "not_modified";
            return Future.succeededFuture();
          }
          if (r.status() != 200) {
            return Future.failedFuture(new FetchFailed("HTTP " + r.status()));
          }
          report.etag = r.header("ETag");
          report.lastModified = r.header("Last-Modified");
          return entries(robots, r, report).compose(listing -> pages(robots, source, listing.pages(), report)
              .compose(v -> withdrawMissing(source, listing, report)));
        })
        .recover(err -> {
          report.fail(source.url(), reason(err));
          return Future.succeededFuture();
        })
        .map(report);
  }

  /** The entries of the document, with those of nested sitemaps (a sitemap index) read in turn. */
  private Future<Listing> entries(RobotsRules robots, Response r, CrawlReport report) {
    int cutOff = limits.maxPages() * 2;
    return parse(r).compose(top -> {
      List<Entry> pages = new ArrayList<>();
      String[] incomplete = {top.size() >= cutOff ? "the document lists " + cutOff + " entries or more" : null};
      Future<Void> chain = Future.succeededFuture();
      int nested = 0;
      for (Entry e : top) {
        if (!e.sitemap()) {
          pages.add(e);
        } else if (nested++ < MAX_NESTED_SITEMAPS) {
          chain = chain.compose(v -> fetch(robots, e.url(), null, null)
              .compose(inner -> inner.status() == 200 ? parse(inner) : Future.failedFuture(new FetchFailed("HTTP " + inner.status())))
              .map(list -> {
                list.stream().filter(x -> !x.sitemap()).forEach(pages::add);
                if (list.size() >= cutOff) {
                  incomplete[0] = "a nested sitemap lists " + cutOff + " entries or more";
                }
                return (Void) null;
              })
              .recover(err -> {
                report.skip(e.url(), reason(err));
                incomplete[0] = "the nested sitemap " + e.url() + " could not be read";
                return Future.succeededFuture();
              }));
        } else {
          report.skip(e.url(), "more than " + MAX_NESTED_SITEMAPS + " nested sitemaps");
          incomplete[0] = "more than " + MAX_NESTED_SITEMAPS + " nested sitemaps";
        }
      }
      return chain.map(v -> new Listing(pages, incomplete[0]));
    });
  }

  private Future<List<Entry>> parse(Response r) {
    return workers.executeBlocking(() -> FeedParser.parse(r.body().getBytes(), limits.maxPages() * 2), false)
        .recover(err -> Future.failedFuture(err instanceof FeedParser.Malformed m ? new FetchFailed("malformed feed: " + m.getMessage()) : err));
  }

  private Future<Void> pages(RobotsRules robots, CrawlSource source, List<Entry> entries, CrawlReport report) {
    String host = URI.create(source.url()).getHost();
    Future<Void> chain = Future.succeededFuture();
    int taken = 0;
    for (Entry e : entries) {
      URI uri = uri(e.url());
      if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        report.skip(e.url(), "not an http(s) address");
      } else if (!host.equalsIgnoreCase(uri.getHost())) {
        report.skip(e.url(), "on another host than the source");
      } else if (taken++ >= limits.maxPages()) {
        report.skip(e.url(), "more than " + limits.maxPages() + " pages in one run");
      } else {
        chain = chain.compose(v -> page(robots, source, e, report));
      }
    }
    return chain;
  }

  private Future<Void> page(RobotsRules robots, CrawlSource source, Entry entry, CrawlReport report) {
    return repository.validators(source.id(), entry.url())
        .compose(v -> fetch(robots, entry.url(), v[0], v[1]))
        .compose(r -> {
          if (r.status() == 304) {
            report.unchanged++;
            return Future.succeededFuture();
          }
          if (r.status() != 200) {
            report.skip(entry.url(), "HTTP " + r.status());
            return Future.succeededFuture();
          }
          String type = r.header("Content-Type") == null ? "" : r.header("Content-Type").toLowerCase(Locale.ROOT);
          if (!type.startsWith("text/html") && !type.startsWith("application/xhtml+xml")) {
            report.skip(entry.url(), "not HTML (" + (type.isEmpty() ? "no content type" : type) + ")");
            return Future.succeededFuture();
          }
          return workers.executeBlocking(() -> HtmlExtract.extract(r.body().getBytes(), r.header("Content-Type"), entry.url()), false)
              .compose(x -> publish(source, entry, x, report))
              .compose(published -> published
                  ? repository.saveValidators(source.id(), entry.url(), r.header("ETag"), r.header("Last-Modified"))
                  : Future.succeededFuture());
        })
        .recover(err -> {
          report.skip(entry.url(), reason(err));
          return Future.succeededFuture();
        });
  }

  private Future<Void> withdrawMissing(CrawlSource source, Listing listing, CrawlReport report) {
    if (!"sitemap".equals(source.kind()) || limits.maxWithdrawPercent() == 0) {
      return Future.succeededFuture();
    }
    if (listing.incomplete() != null) {
      report.note(source.url(), "nothing withdrawn: " + listing.incomplete());
      return Future.succeededFuture();
    }
    if (listing.pages().isEmpty()) {
      report.note(source.url(), "nothing withdrawn: the sitemap lists no page");
      return Future.succeededFuture();
    }
    Set<String> listed = new HashSet<>();
    listing.pages().forEach(e -> listed.add(e.url()));
    return repository.broughtIn(source).compose(known -> {
      List<String> missing = known.stream().filter(url -> !listed.contains(url)).sorted().toList();
      int allowed = Math.max(1, known.size() * limits.maxWithdrawPercent() / 100);
      if (missing.size() > allowed) {
        report.note(source.url(), "nothing withdrawn: " + missing.size() + " of the " + known.size()
            + " pages this source brought in are missing from the sitemap, more than the " + limits.maxWithdrawPercent()
            + " % one run may withdraw");
        return Future.succeededFuture();
      }
      Future<Void> chain = Future.succeededFuture();
      for (String url : missing) {
        chain = chain.compose(v -> content.withdrawByUrl(Author.crawler(source.id()), source.tenantCode(), url, "crawl")
            .compose(w -> {
              if (w.outcome() != ContentService.Outcome.WITHDRAWN) {
                return Future.<Void>succeededFuture();
              }
              report.withdrawn++;
              report.note(url, "withdrawn: no longer in the sitemap");
              return repository.forget(source.id(), url);
            })
            .recover(err -> {
              report.note(url, "not withdrawn: " + reason(err));
              return Future.succeededFuture();
            }));
      }
      return chain;
    });
  }

  private Future<Boolean> publish(CrawlSource source, Entry entry, HtmlExtract.Extracted x, CrawlReport report) {
    String title = x.title().isEmpty() && entry.title() != null ? entry.title() : x.title();
    if (title.isEmpty()) {
      report.skip(entry.url(), "no title");
      return Future.succeededFuture(false);
    }
    if (x.bodyHtml().length() > PageDraft.MAX_HTML) {
      report.skip(entry.url(), "the page's content is larger than " + PageDraft.MAX_HTML + " characters");
      return Future.succeededFuture(false);
    }
    String summary = !x.summary().isEmpty() ? x.summary() : entry.summary() == null ? "" : entry.summary();
    PageDraft draft = new PageDraft(entry.url(), title.length() > 300 ? title.substring(0, 300) : title,
        summary.length() > 2000 ? summary.substring(0, 2000) : summary, x.bodyHtml(), source.category(), null,
        List.of(), List.of(), List.of(), "ja", entry.date());
    return content.upsert(Author.crawler(source.id()), source.tenantCode(), draft, "crawl").map(w -> {
      switch (w.outcome()) {
        case PUBLISHED -> report.published++;
        case UPDATED -> report.updated++;
        default -> report.unchanged++;
      }
      return true;
    });
  }

  /** GET with robots.txt, the host's delay, and redirects followed at most {@code maxRedirects} times. */
  private Future<Response> fetch(RobotsRules robots, String url, String etag, String lastModified) {
    return fetch(robots, url, etag, lastModified, 0);
  }

  private Future<Response> fetch(RobotsRules robots, String url, String etag, String lastModified, int hops) {
    URI uri = uri(url);
    if (uri == null || uri.getHost() == null) {
      return Future.failedFuture(new FetchFailed("not a valid address"));
    }
    return publicAddress(uri)
        .compose(v -> robots.allowed(url))
        .compose(allowed -> allowed ? robots.delay(url) : Future.failedFuture(new FetchFailed("disallowed by robots.txt")))
        .compose(delay -> politeness.politely(uri.getRawAuthority(), delay, () -> fetcher.get(url, etag, lastModified)))
        .compose(r -> {
          if (r.status() < 300 || r.status() >= 400 || r.status() == 304) {
            return Future.succeededFuture(r);
          }
          String location = r.header("Location");
          if (location == null) {
            return Future.failedFuture(new FetchFailed("HTTP " + r.status() + " without a Location"));
          }
          if (hops >= limits.maxRedirects()) {
            return Future.failedFuture(new FetchFailed("more than " + limits.maxRedirects() + " redirects"));
          }
          URI next = uri.resolve(location.strip());
          return fetch(robots, next.toString(), null, null, hops + 1);
        });
  }

  /**
   * Refuses hosts that resolve to loopback, private, link-local or other non-public addresses
   * (unless allowed), checked for every address and every redirect hop, so that a source cannot
   * make the platform read and publish its internal network.
   */
  private Future<Void> publicAddress(URI uri) {
    if (limits.allowPrivateAddresses()) {
      return Future.succeededFuture();
    }
    return workers.executeBlocking(() -> {
      for (java.net.InetAddress a : java.net.InetAddress.getAllByName(uri.getHost())) {
        if (!PublicAddress.isPublic(a)) {
          throw new FetchFailed("the host has a non-public address (" + a.getHostAddress() + ")");
        }
      }
      return null;
    }, false).<Void>mapEmpty().recover(err -> Future.failedFuture(err instanceof FetchFailed ? err
        : new FetchFailed("the host name cannot be resolved")));
  }

  private static URI uri(String url) {
    try {
      return new URI(url);
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  private static String reason(Throwable err) {
    if (err instanceof FetchFailed || err instanceof ProblemException) {
      return err.getMessage();
    }
    return "failed: " + (err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage());
  }
}

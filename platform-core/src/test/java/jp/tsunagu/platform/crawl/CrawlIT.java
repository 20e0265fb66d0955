package jp.tsunagu.platform.crawl;

import static jp.tsunagu.platform.content.ContentTesting.assertProblem;
import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.api.model.CrawlRun;
import jp.tsunagu.api.model.CrawlSource;
import jp.tsunagu.api.model.CrawlSourceInput;
import jp.tsunagu.platform.content.ContentTesting;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.Poll;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The crawler against a loopback site: what it publishes, what it skips and why, and how it stays polite. */
class CrawlIT {
  static final String SHIMADA = Fixtures.SHIMADA;
  static final long DELAY_MILLIS = 40;
  static TestPlatform node;
  static TestSite site;
  static ContentApi editor;
  static ContentApi anonymous;

  @BeforeAll
  static void start() throws Exception {
    site = new TestSite();
    // on-demand runs only, so each test decides when a source is crawled
    node = TestPlatform.start(Map.of("crawl.enabled", "false", "crawl.allowPrivateAddresses", "true",
        "crawl.hostDelayMillis", String.valueOf(DELAY_MILLIS),
        "crawl.maxBytes", "100000", "crawl.timeoutSeconds", "3", "crawl.maxRedirects", "3"));
    new Fixtures(node).tenantWithStaff(SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    editor = new ContentApi(ContentTesting.staff(node, "editor@shimada.example"));
    anonymous = new ContentApi(node.client());
    ContentTesting.taxonomy(editor, SHIMADA);
  }

  @AfterAll
  static void stop() {
    node.close();
    site.close();
  }

  static CrawlRun crawl(CrawlSource source, int runsBefore) throws Exception {
    editor.runCrawlSource(SHIMADA, source.getId());
    Poll.until(Duration.ofSeconds(30), "a finished run", () -> {
      List<CrawlRun> runs = editor.listCrawlRuns(SHIMADA, source.getId()).getItems();
      return runs.size() > runsBefore && runs.get(0).getFinishedAt() != null;
    });
    return editor.listCrawlRuns(SHIMADA, source.getId()).getItems().get(0);
  }

  static Map<String, String> reasons(CrawlRun run) {
    return run.getReport().stream().collect(Collectors.toMap(r -> r.getUrl().replace(site.base(), ""), r -> r.getReason()));
  }

  @Test
  void sitemapPagesArePublishedAndEveryBadOneIsReportedWithItsReason() throws Exception {
    CrawlSource source = editor.createCrawlSource(SHIMADA, new CrawlSourceInput().kind(CrawlSourceInput.KindEnum.SITEMAP)
        .url(site.base() + "/sitemap.xml").category("kosodate"));
    CrawlRun run = crawl(source, 0);
    assertEquals(CrawlRun.StatusEnum.OK, run.getStatus());
    assertEquals(3, run.getPublished(), run.toString());
    Map<String, String> reasons = reasons(run);
    assertEquals("disallowed by robots.txt", reasons.get("/private/secret.html"));
    assertEquals("more than 3 redirects", reasons.get("/loop.html"));
    assertEquals("larger than 100000 bytes", reasons.get("/big.html"));
    assertEquals("HTTP 404", reasons.get("/missing.html"));
    assertEquals("not HTML (image/png)", reasons.get("/logo.png"));
    assertEquals("no title", reasons.get("/notitle.html"));
    assertEquals("on another host than the source", reasons.get(
        "http://localhost:" + site.base().substring(site.base().lastIndexOf(':') + 1) + "/other.html"));
    assertEquals(7, run.getSkipped());
    assertFalse(site.paths().contains("/private/secret.html"), "robots.txt was obeyed");

    Poll.until(Duration.ofSeconds(5), "the crawled pages are searchable (the Shift_JIS one read correctly)",
        () -> ContentTesting.finds(anonymous, SHIMADA, "医療費", site.base() + "/a.html")
            && ContentTesting.finds(anonymous, SHIMADA, "収集", site.base() + "/b.html")
            && ContentTesting.finds(anonymous, SHIMADA, "児童手当", site.base() + "/redirected.html"));
    assertEquals("kosodate", ContentTesting.search(anonymous, SHIMADA, "医療費").getHits().get(0).getCategory());

    List<Long> times = new ArrayList<>(site.times);
    for (int i = 1; i < times.size(); i++) {
      long gap = times.get(i) - times.get(i - 1);
      assertTrue(gap >= (DELAY_MILLIS - 5) * 1_000_000, "requests to one host are spaced out: " + gap / 1000 + " µs before "
          + site.paths().get(i) + " in " + site.paths());
    }

    assertEquals(CrawlRun.StatusEnum.NOT_MODIFIED, crawl(source, 1).getStatus(), "an unchanged sitemap ends the run");
    site.sitemapVersion.incrementAndGet();
    int before = site.notModified.get();
    CrawlRun third = crawl(source, 2);
    assertEquals(0, third.getPublished());
    assertEquals(2, site.notModified.get() - before, "a.html (ETag) and b.html (Last-Modified) answered 304");
    assertTrue(third.getUnchanged() >= 2);
  }

  @Test
  void feedsArePublishedAndMalformedOrEndlessFeedsFailTheirRunWithAReason() throws Exception {
    CrawlSource rss = editor.createCrawlSource(SHIMADA, new CrawlSourceInput().kind(CrawlSourceInput.KindEnum.FEED)
        .url(site.base() + "/feed.xml").category("bousai"));
    assertEquals(2, crawl(rss, 0).getPublished());
    CrawlSource atom = editor.createCrawlSource(SHIMADA, new CrawlSourceInput().kind(CrawlSourceInput.KindEnum.FEED)
        .url(site.base() + "/atom.xml"));
    assertEquals(1, crawl(atom, 0).getPublished());
    Poll.until(Duration.ofSeconds(5), "the Atom entry is searchable",
        () -> ContentTesting.finds(anonymous, SHIMADA, "防災訓練", site.base() + "/news/3.html"));

    for (String[] bad : List.of(new String[] {"/endless.xml", "larger than 100000 bytes"},
        new String[] {"/broken.xml", "malformed feed: not well-formed XML"},
        new String[] {"/doctype.xml", "malformed feed: not well-formed XML"})) {
      CrawlSource s = editor.createCrawlSource(SHIMADA, new CrawlSourceInput().kind(CrawlSourceInput.KindEnum.FEED)
          .url(site.base() + bad[0]));
      CrawlRun run = crawl(s, 0);
      assertEquals(CrawlRun.StatusEnum.FAILED, run.getStatus(), bad[0]);
      assertTrue(run.getReport().get(0).getReason().startsWith(bad[1]), run.getReport().toString());
      assertEquals(0, run.getPublished());
    }
    assertTrue(editor.listCrawlSources(SHIMADA).getItems().stream().anyMatch(s -> s.getLastRun() != null));
  }

  @Test
  void pagesThatLeaveTheSitemapAreWithdrawnButABrokenEmptyOrShrunkenSitemapWithdrawsNothing() throws Exception {
    List<String> ten = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      ten.add("/district/" + i + ".html");
    }
    site.districtPages.set(ten);
    CrawlSource source = editor.createCrawlSource(SHIMADA, new CrawlSourceInput().kind(CrawlSourceInput.KindEnum.SITEMAP)
        .url(site.base() + "/district.xml"));
    assertEquals(10, crawl(source, 0).getPublished());
    // A page of the same site pushed by staff is not this source's to withdraw.
    editor.upsertPage(SHIMADA, ContentTesting.page(site.base() + "/district/notice.html", "地区だより号外",
        "<p>地区の清掃活動は雨天中止です。</p>", ""));
    Poll.until(Duration.ofSeconds(5), "the district pages are searchable", () -> districtHits() == 11);

    site.districtPages.set(ten.subList(0, 9));
    CrawlRun shrunk = crawl(source, 1);
    assertEquals(CrawlRun.StatusEnum.OK, shrunk.getStatus());
    assertEquals(1, shrunk.getWithdrawn(), shrunk.toString());
    assertEquals("withdrawn: no longer in the sitemap", reasons(shrunk).get("/district/10.html"));
    Poll.until(Duration.ofSeconds(5), "the page that left the sitemap leaves search", () -> districtHits() == 10);
    assertFalse(ContentTesting.finds(anonymous, SHIMADA, "地区だより", site.base() + "/district/10.html"));
    assertEquals(1, editor.listCrawlSources(SHIMADA).getItems().stream().filter(s -> s.getId().equals(source.getId()))
        .findFirst().orElseThrow().getLastRun().getWithdrawn());

    int runs = 2;
    for (String[] bad : List.of(new String[] {"error", "HTTP 503"},
        new String[] {"empty", "nothing withdrawn: the sitemap lists no page"},
        new String[] {"truncated", "malformed feed: not well-formed XML"},
        new String[] {"index", "nothing withdrawn: the nested sitemap " + site.base() + "/district-gone.xml could not be read"})) {
      site.districtMode.set(bad[0]);
      site.districtPages.set(ten.subList(0, 5));
      CrawlRun run = crawl(source, runs++);
      assertEquals(0, run.getWithdrawn(), bad[0] + ": " + run);
      assertTrue(run.getReport().stream().anyMatch(l -> l.getReason().startsWith(bad[1])), bad[0] + ": " + run.getReport());
    }
    site.districtMode.set("list");
    site.districtPages.set(ten.subList(0, 2));
    CrawlRun partial = crawl(source, runs++);
    assertEquals(0, partial.getWithdrawn());
    assertEquals("nothing withdrawn: 7 of the 9 pages this source brought in are missing from the sitemap, "
        + "more than the 20 % one run may withdraw", reasons(partial).get("/district.xml"));
    assertEquals(10, districtHits(), "nothing left search");

    site.districtPages.set(ten);
    CrawlRun back = crawl(source, runs);
    assertEquals(1, back.getPublished(), "a page that comes back is published again: " + back);
    Poll.until(Duration.ofSeconds(5), "the page that came back is searchable", () -> districtHits() == 11);
  }

  private static long districtHits() throws Exception {
    return ContentTesting.search(anonymous, SHIMADA, "地区だより").getTotal();
  }

  @Test
  void byDefaultTheCrawlerRefusesHostsOnPrivateAddresses() throws Exception {
    try (TestPlatform strict = TestPlatform.start(Map.of("crawl.enabled", "false"))) {
      new Fixtures(strict).tenantWithStaff(Fixtures.ICHIHARA, "市原市", "editor@ichihara.example", Role.EDITOR);
      ContentApi api = new ContentApi(ContentTesting.staff(strict, "editor@ichihara.example"));
      CrawlSource s = api.createCrawlSource(Fixtures.ICHIHARA, new CrawlSourceInput().kind(CrawlSourceInput.KindEnum.SITEMAP)
          .url(site.base() + "/sitemap.xml"));
      int before = site.requests.size();
      api.runCrawlSource(Fixtures.ICHIHARA, s.getId());
      Poll.until(Duration.ofSeconds(20), "a finished run", () -> {
        List<CrawlRun> runs = api.listCrawlRuns(Fixtures.ICHIHARA, s.getId()).getItems();
        return !runs.isEmpty() && runs.get(0).getFinishedAt() != null;
      });
      CrawlRun run = api.listCrawlRuns(Fixtures.ICHIHARA, s.getId()).getItems().get(0);
      assertEquals(CrawlRun.StatusEnum.FAILED, run.getStatus());
      assertTrue(run.getReport().get(0).getReason().startsWith("the host has a non-public address"), run.toString());
      assertEquals(before, site.requests.size(), "nothing was fetched");
    }
  }

  @Test
  void badSourcesAreRefused() {
    assertProblem(400, "invalid-source", () -> editor.createCrawlSource(SHIMADA, new CrawlSourceInput()
        .kind(CrawlSourceInput.KindEnum.FEED).url("file:///etc/passwd")));
    assertProblem(422, "unknown-term", () -> editor.createCrawlSource(SHIMADA, new CrawlSourceInput()
        .kind(CrawlSourceInput.KindEnum.FEED).url(site.base() + "/x.xml").category("nosuch")));
    assertProblem(404, "not-found", () -> editor.runCrawlSource(SHIMADA, UUID.randomUUID()));
    assertProblem(401, "unauthenticated", () -> anonymous.listCrawlSources(SHIMADA));
  }

  @Test
  void aSourceIsLeasedToOneNodeAtATimeAndALapsedLeaseIsTakenOver() throws Exception {
    CrawlRepository repository = new CrawlRepository(node.platform().services().pool());
    CrawlSource s = editor.createCrawlSource(SHIMADA, new CrawlSourceInput().kind(CrawlSourceInput.KindEnum.FEED)
        .url(site.base() + "/lease.xml"));
    var claims = await(io.vertx.core.Future.all(repository.claim("node-a"), repository.claim("node-b"), repository.claim("node-c")));
    List<UUID> taken = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Optional<jp.tsunagu.platform.crawl.CrawlSource> c = claims.resultAt(i);
      c.ifPresent(x -> taken.add(x.id()));
    }
    assertEquals(List.of(s.getId()), taken.stream().filter(s.getId()::equals).toList(), "one node holds the source");
    assertTrue(await(repository.claim("node-d")).isEmpty());
    await(node.platform().services().pool().preparedQuery("UPDATE crawl_source SET lease_until = now() - interval '1 second' WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(s.getId())));
    assertEquals(Optional.of(s.getId()), await(repository.claim("node-d")).map(jp.tsunagu.platform.crawl.CrawlSource::id));
  }
}

package jp.tsunagu.platform.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

/**
 * Two nodes (real Hazelcast members on loopback) crawl one loopback site at the same time, each a
 * source of its own: the site sees one request at a time and the delay between any two, whichever
 * node sent them.
 */
class CrawlClusterIT {
  static final long DELAY_MILLIS = 100;
  static final TestPlatform.Cluster cluster = new TestPlatform.Cluster();
  static TestSite site;
  static TestPlatform nodeA;
  static TestPlatform nodeB;

  @BeforeAll
  static void start() throws Exception {
    site = new TestSite();
    nodeA = TestPlatform.start(cluster, settings("node-a"));
    nodeB = TestPlatform.start(cluster, settings("node-b"));
    Fixtures fixtures = new Fixtures(nodeA);
    fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    fixtures.tenantWithStaff(Fixtures.ICHIHARA, "市原市", "editor@ichihara.example", Role.EDITOR);
  }

  static Map<String, String> settings(String agent) {
    // Runs on demand only; each node's crawler names itself in its User-Agent so the site can tell them apart.
    return Map.of("crawl.enabled", "false", "crawl.allowPrivateAddresses", "true",
        "crawl.hostDelayMillis", String.valueOf(DELAY_MILLIS), "crawl.userAgent", "tsunagubot/0.1 (" + agent + ")",
        "search.dataDir", TestPlatform.tempDir("tsunagu-crawl-" + agent + "-").toString());
  }

  @AfterAll
  static void stop() {
    nodeB.close();
    nodeA.close();
    site.close();
  }

  @Test
  void twoNodesCrawlingOneHostKeepOneDelayBetweenAllTheirRequests() throws Exception {
    List<String> pages = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      pages.add("/district/" + i + ".html");
    }
    site.districtPages.set(pages);
    ContentApi shimada = new ContentApi(ContentTesting.staff(nodeA, "editor@shimada.example"));
    ContentApi ichihara = new ContentApi(ContentTesting.staff(nodeB, "editor@ichihara.example"));
    CrawlSource a = shimada.createCrawlSource(Fixtures.SHIMADA, new CrawlSourceInput().kind(CrawlSourceInput.KindEnum.SITEMAP)
        .url(site.base() + "/district.xml"));
    CrawlSource b = ichihara.createCrawlSource(Fixtures.ICHIHARA, new CrawlSourceInput().kind(CrawlSourceInput.KindEnum.SITEMAP)
        .url(site.base() + "/district-part.xml"));
    // Creating a source makes it due; each node is woken by the request it serves and takes one.
    shimada.runCrawlSource(Fixtures.SHIMADA, a.getId());
    ichihara.runCrawlSource(Fixtures.ICHIHARA, b.getId());
    Poll.until(Duration.ofSeconds(60), "both runs finished", () -> finished(shimada, Fixtures.SHIMADA, a)
        && finished(ichihara, Fixtures.ICHIHARA, b));
    CrawlRun runA = shimada.listCrawlRuns(Fixtures.SHIMADA, a.getId()).getItems().get(0);
    CrawlRun runB = ichihara.listCrawlRuns(Fixtures.ICHIHARA, b.getId()).getItems().get(0);
    assertEquals(8, runA.getPublished(), runA.toString());
    assertEquals(8, runB.getPublished(), runB.toString());
    assertTrue(!runA.getNodeId().equals(runB.getNodeId()), "each node crawled one source");

    List<Long> times = new ArrayList<>(site.times);
    List<String> agents = new ArrayList<>(site.agents);
    List<String> paths = site.paths();
    assertEquals(20, times.size(), "robots.txt, the sitemap and 8 pages per run: " + paths);
    assertTrue(interleaved(agents), "the two nodes crawled at the same time: " + agents);
    for (int i = 1; i < times.size(); i++) {
      long gap = times.get(i) - times.get(i - 1);
      assertTrue(gap >= (DELAY_MILLIS - 5) * 1_000_000, "requests to one host are spaced out across nodes: " + gap / 1000
          + " µs before " + paths.get(i) + " (" + agents.get(i) + ") after " + paths.get(i - 1) + " (" + agents.get(i - 1) + ")");
    }
  }

  static boolean finished(ContentApi api, String tenant, CrawlSource source) throws Exception {
    List<CrawlRun> runs = api.listCrawlRuns(tenant, source.getId()).getItems();
    return !runs.isEmpty() && runs.get(0).getFinishedAt() != null;
  }

  /** Whether some request of one node came between two requests of the other. */
  static boolean interleaved(List<String> agents) {
    int switches = 0;
    for (int i = 1; i < agents.size(); i++) {
      switches += agents.get(i).equals(agents.get(i - 1)) ? 0 : 1;
    }
    return switches >= 2;
  }
}

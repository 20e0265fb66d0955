package jp.tsunagu.platform.content;

import static jp.tsunagu.platform.content.ContentTesting.finds;
import static jp.tsunagu.platform.content.ContentTesting.page;
import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.api.model.IndexRebuild;
import jp.tsunagu.api.model.PageWithdrawal;
import jp.tsunagu.api.model.SearchIndexStatus;
import jp.tsunagu.platform.sitesearch.ContentModule;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.Poll;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes with their own indexes fed from one PostgreSQL: a page published through one is
 * searchable on the other within a second; a node that was down replays what it missed; a node
 * with an empty index rebuilds itself from the log; a rebuild swaps without a failed search.
 */
class ContentClusterIT {
  static final String SHIMADA = Fixtures.SHIMADA;
  static final Duration FRESH = Duration.ofSeconds(20);
  static final String BASE = "https://www.city.shimada.shizuoka.jp/";
  static final TestPlatform.Cluster cluster = new TestPlatform.Cluster();
  static final Path node2Dir = TestPlatform.tempDir("tsunagu-search-node2-");
  static TestPlatform node1;
  static TestPlatform node2;
  static ContentApi editor;

  @BeforeAll
  static void start() throws Exception {
    node1 = TestPlatform.start(cluster, Map.of());
    node2 = TestPlatform.start(cluster, Map.of("search.dataDir", node2Dir.toString()));
    Fixtures fixtures = new Fixtures(node1);
    fixtures.tenantWithStaff(SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    fixtures.operator("root@tsunagu.example");
    editor = new ContentApi(ContentTesting.staff(node1, "editor@shimada.example"));
    ContentTesting.taxonomy(editor, SHIMADA);
  }

  @AfterAll
  static void stop() {
    node2.close();
    node1.close();
  }

  static ContentApi anonymous(TestPlatform node) {
    return new ContentApi(node.client());
  }

  @Test
  void publishedOnOneNodeIsSearchableOnTheOtherAndWithdrawnFromBoth() throws Exception {
    String url = BASE + "bousai/hazard-map.html";
    editor.upsertPage(SHIMADA, page(url, "洪水ハザードマップ", "<p>大井川が氾濫したときの浸水想定区域です。</p>", "bousai"));
    // how fast is measured by ContentBench; here only that it arrives (the deadline is a failure bound)
    Poll.until(FRESH, "searchable on node 2", () -> finds(anonymous(node2), SHIMADA, "ハザードマップ", url));

    ContentApi editorOn2 = new ContentApi(ContentTesting.staff(node2, "editor@shimada.example"));
    editorOn2.withdrawPageByUrl(SHIMADA, new PageWithdrawal().url(url));
    Poll.until(FRESH, "gone on node 1", () -> !finds(anonymous(node1), SHIMADA, "ハザードマップ", url));
  }

  @Test
  void theOtherNodeIndexesPagesFromTheirEventsAndReadsALongPageFromPostgres() throws Exception {
    ContentModule on2 = node2.platform().services().content();
    long before = on2.indexer().appliedFromEvents();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(editor.upsertPage(SHIMADA, page(BASE + "kurashi/bus-" + i + ".html", "コミュニティバス" + i + "号線の時刻表",
          "<p>コミュニティバスは一時間に一本です。</p>", null)).getPage().getId().toString());
    }
    Poll.until(FRESH, "every page searchable on node 2", () -> ids.stream().allMatch(id -> on2.indexes().pages().contains(SHIMADA, id)));
    // a poll that happens to read a change first is allowed; five that all do would mean the events carry nothing usable
    assertTrue(on2.indexer().appliedFromEvents() > before, "node 2 applied pages from their events");

    long fromEvents = on2.indexer().appliedFromEvents();
    String longUrl = BASE + "bousai/keikaku.html";
    String longText = "島田市地域防災計画の本文です。".repeat(ContentEvent.MAX_INDEXED_TEXT / 15 + 1);
    editor.upsertPage(SHIMADA, page(longUrl, "地域防災計画（全文）", "<p>" + longText + "</p>", "bousai"));
    Poll.until(Duration.ofSeconds(20), "the long page is searchable on node 2",
        () -> finds(anonymous(node2), SHIMADA, "地域防災計画", longUrl));
    assertEquals(fromEvents, on2.indexer().appliedFromEvents(), "its event carried no page: node 2 read it from PostgreSQL");
  }

  @Test
  void aNodeThatWasDownReplaysWhatItMissedAndAnEmptyIndexRebuildsFromTheLog() throws Exception {
    String kept = BASE + "gomi/sodai.html";
    String dropped = BASE + "gomi/shigen.html";
    editor.upsertPage(SHIMADA, page(kept, "粗大ごみの出し方", "<p>粗大ごみは予約制です。</p>", "gomi"));
    editor.upsertPage(SHIMADA, page(dropped, "資源ごみの日程", "<p>資源ごみは第二水曜日です。</p>", "gomi"));
    Poll.until(FRESH, "both on node 2", () -> finds(anonymous(node2), SHIMADA, "粗大ごみ", kept)
        && finds(anonymous(node2), SHIMADA, "資源ごみ", dropped));

    node2.close();
    String added = BASE + "gomi/kaden.html";
    editor.upsertPage(SHIMADA, page(added, "家電リサイクルのご案内", "<p>テレビや冷蔵庫は家電リサイクル法の対象です。</p>", "gomi"));
    editor.withdrawPageByUrl(SHIMADA, new PageWithdrawal().url(dropped));
    editor.upsertPage(SHIMADA, page(kept, "粗大ごみの出し方（予約制）", "<p>粗大ごみは電話で予約してください。</p>", "gomi"));

    node2 = TestPlatform.start(cluster, Map.of("search.dataDir", node2Dir.toString()));
    ContentApi on2 = anonymous(node2);
    Poll.until(FRESH, "node 2 caught up", () -> finds(on2, SHIMADA, "家電", added) && !finds(on2, SHIMADA, "資源ごみ", dropped)
        && ContentTesting.search(on2, SHIMADA, "粗大ごみ").getHits().stream().anyMatch(h -> h.getTitle().equals("粗大ごみの出し方（予約制）")));
    SearchIndexStatus status = new ContentApi(ContentTesting.staff(node2, "editor@shimada.example")).getSearchIndex();
    assertEquals(status.getLatestChange(), status.getPagesApplied());

    try (TestPlatform empty = TestPlatform.start(cluster, Map.of())) {
      Poll.until(FRESH, "an empty index replays the whole log", () -> finds(anonymous(empty), SHIMADA, "家電", added)
          && finds(anonymous(empty), SHIMADA, "粗大ごみ", kept) && !finds(anonymous(empty), SHIMADA, "資源ごみ", dropped));
    }
  }

  /**
   * A node whose index was written by an earlier version (a page without the combined scoring
   * fields, as such a version wrote every page) rebuilds it from PostgreSQL when it starts.
   */
  @Test
  void aNodeWhoseIndexAnEarlierVersionWroteRebuildsItAtStart() throws Exception {
    Path dir = TestPlatform.tempDir("tsunagu-search-earlier-");
    String url = BASE + "kosodate/ichiji.html";
    editor.upsertPage(SHIMADA, page(url, "一時預かりのご案内", "<p>保育園の一時預かりは予約制です。</p>", "kosodate"));
    long generation;
    try (TestPlatform node = TestPlatform.start(cluster, Map.of("search.dataDir", dir.toString()))) {
      Poll.until(FRESH, "the page on the node", () -> finds(anonymous(node), SHIMADA, "一時預かり", url));
      generation = node.platform().services().content().indexes().pages().generation();
      assertTrue(node.platform().services().content().indexes().pages().writtenAsCurrent());
    }
    Path live;
    try (var gens = java.nio.file.Files.list(dir.resolve("pages"))) {
      live = gens.filter(g -> g.getFileName().toString().startsWith("gen-")).sorted().reduce((a, b) -> b).orElseThrow();
    }
    try (org.apache.lucene.store.Directory lucene = org.apache.lucene.store.FSDirectory.open(live)) {
      Map<String, String> checkpoint = org.apache.lucene.index.SegmentInfos.readLatestCommit(lucene).getUserData();
      try (org.apache.lucene.index.IndexWriter writer = new org.apache.lucene.index.IndexWriter(lucene,
          new org.apache.lucene.index.IndexWriterConfig(new org.apache.lucene.analysis.standard.StandardAnalyzer()))) {
        org.apache.lucene.document.Document earlier = new org.apache.lucene.document.Document();
        earlier.add(new org.apache.lucene.document.StringField(jp.tsunagu.search.page.PageFields.FORMAT,
            jp.tsunagu.search.page.PageFields.FORMAT_MATCH, org.apache.lucene.document.Field.Store.NO));
        writer.addDocument(earlier);
        writer.setLiveCommitData(checkpoint.entrySet());
        writer.commit();
      }
    }

    try (TestPlatform node = TestPlatform.start(cluster, Map.of("search.dataDir", dir.toString()))) {
      jp.tsunagu.search.page.PageIndex pages = node.platform().services().content().indexes().pages();
      Poll.until(FRESH, "rebuilt at start", () -> pages.generation() > generation && pages.writtenAsCurrent());
      assertTrue(finds(anonymous(node), SHIMADA, "一時預かり", url), "the rebuilt index answers");
    }
  }

  @Test
  void rebuildOnEveryNodeWhileSearchesKeepAnswering() throws Exception {
    ContentModule module = node1.platform().services().content();
    for (int i = 0; i < 300; i++) {
      await(module.content().upsert(Author.system(), SHIMADA, new PageDraft(BASE + "event/" + i + ".html",
          "市民イベント第" + i + "回のお知らせ", "", "<p>島田市民会館で第" + i + "回の市民イベントを開きます。</p>", null, null,
          List.of(), List.of(), List.of(), "ja", null), "demo"));
    }
    String probe = BASE + "event/7.html";
    Poll.until(Duration.ofSeconds(10), "the pages reached node 2", () -> anonymous(node2).searchPages("市民イベント", List.of(SHIMADA),
        null, null, null, null, null, null, null, null, 0, 10, null, null).getTotal() >= 300);
    ContentApi operator = new ContentApi(ContentTesting.staff(node1, "root@tsunagu.example"));
    long generation1 = operator.getSearchIndex().getGeneration();

    AtomicBoolean searching = new AtomicBoolean(true);
    AtomicInteger answered = new AtomicInteger();
    List<Throwable> failures = new ArrayList<>();
    Thread searcher = Thread.ofPlatform().start(() -> {
      while (searching.get()) {
        try {
          if (!finds(anonymous(node1), SHIMADA, "\"市民イベント第7回\"", probe)) {
            failures.add(new AssertionError("the probe page was missing during the rebuild"));
          }
          answered.incrementAndGet();
        } catch (Exception e) {
          failures.add(e);
        }
      }
    });
    UUID request = operator.rebuildSearchIndex().getRequestId();
    try {
      Poll.until(Duration.ofSeconds(30), "both nodes finished the rebuild", () -> operator.getSearchIndex().getRebuilds().stream()
          .filter(r -> r.getRequestId().equals(request) && r.getFinishedAt() != null).count() == 2);
    } finally {
      searching.set(false);
      searcher.join();
    }
    for (IndexRebuild r : operator.getSearchIndex().getRebuilds().stream().filter(r -> r.getRequestId().equals(request)).toList()) {
      assertNull(r.getError());
      assertTrue(r.getDone() >= 300, r.toString());
      assertEquals(r.getTotal(), r.getDone());
      assertEquals(100L, r.getPercent());
    }
    assertEquals(List.of(), failures);
    assertTrue(answered.get() > 0);
    assertEquals(generation1 + 1, operator.getSearchIndex().getGeneration());
    assertTrue(finds(anonymous(node2), SHIMADA, "\"市民イベント第7回\"", probe));

    ContentApi editorApi = new ContentApi(ContentTesting.staff(node1, "editor@shimada.example"));
    ContentTesting.assertProblem(403, "forbidden", editorApi::rebuildSearchIndex);
    ContentTesting.assertProblem(401, "unauthenticated", () -> anonymous(node1).getSearchIndex());
  }
}

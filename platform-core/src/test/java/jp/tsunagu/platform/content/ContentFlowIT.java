package jp.tsunagu.platform.content;

import static jp.tsunagu.platform.content.ContentTesting.assertProblem;
import static jp.tsunagu.platform.content.ContentTesting.finds;
import static jp.tsunagu.platform.content.ContentTesting.page;
import static jp.tsunagu.platform.content.ContentTesting.search;
import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.api.invoker.ApiException;
import jp.tsunagu.api.model.LifeStage;
import jp.tsunagu.api.model.PageInput;
import jp.tsunagu.api.model.PageWithdrawal;
import jp.tsunagu.api.model.PageWrite;
import jp.tsunagu.api.model.SearchHit;
import jp.tsunagu.api.model.SearchResults;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.Poll;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pages pushed through the API land in PostgreSQL and the change log, and become searchable (and unsearchable) at once. */
class ContentFlowIT {
  static final String SHIMADA = Fixtures.SHIMADA;
  static final Duration SOON = Duration.ofSeconds(5);
  static TestPlatform node;
  static ContentApi editor;
  static ContentApi anonymous;
  static final List<JsonObject> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    node = TestPlatform.start();
    Fixtures fixtures = new Fixtures(node);
    fixtures.tenantWithStaff(SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    fixtures.tenantWithStaff(Fixtures.ICHIHARA, "市原市", "clerk@ichihara.example", Role.RESIDENT_CLERK);
    for (String address : List.of(ContentAddresses.PAGE_PUBLISHED, ContentAddresses.PAGE_UPDATED, ContentAddresses.PAGE_WITHDRAWN)) {
      node.platform().vertx().eventBus().<JsonObject>consumer(address, m -> events.add(m.body().copy().put("address", address)));
    }
    editor = new ContentApi(ContentTesting.staff(node, "editor@shimada.example"));
    anonymous = new ContentApi(node.client());
    ContentTesting.taxonomy(editor, SHIMADA);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void publishUpdateWithdrawAndPublishAgainEachEmitOneChange() throws Exception {
    String url = "https://www.city.shimada.shizuoka.jp/kosodate/hoikuen.html";
    PageInput input = page(url, "保育園の入園申し込み", "<p>保育園の<b>入園</b>は、こども課で受け付けます。</p>", "kosodate")
        .department("kodomo").districts(List.of("d1")).lifeStages(List.of(LifeStage.PRESCHOOL)).tags(List.of("保育"));
    PageWrite first = editor.upsertPage(SHIMADA, input);
    assertEquals(PageWrite.OutcomeEnum.PUBLISHED, first.getOutcome());
    assertNotNull(first.getChangeId());
    Poll.until(SOON, "the published page is searchable", () -> finds(anonymous, SHIMADA, "入園", url));

    PageWrite again = editor.upsertPage(SHIMADA, input);
    assertEquals(PageWrite.OutcomeEnum.UNCHANGED, again.getOutcome());
    assertNull(again.getChangeId());
    assertEquals(first.getPage().getId(), again.getPage().getId());

    PageWrite markup = editor.upsertPage(SHIMADA, input.bodyHtml("<div><p>保育園の入園は、こども課で受け付けます。</p></div>"));
    assertEquals(PageWrite.OutcomeEnum.UNCHANGED, markup.getOutcome(), "markup alone is not a substantive update");

    PageWrite updated = editor.upsertPage(SHIMADA, input.title("保育園・認定こども園の入園申し込み"));
    assertEquals(PageWrite.OutcomeEnum.UPDATED, updated.getOutcome());
    assertTrue(updated.getChangeId() > first.getChangeId());
    Poll.until(SOON, "the new title is searchable", () -> search(anonymous, SHIMADA, "認定こども園").getHits().stream()
        .anyMatch(h -> h.getTitle().equals("保育園・認定こども園の入園申し込み")));

    PageWrite withdrawn = editor.withdrawPageByUrl(SHIMADA, new PageWithdrawal().url(url));
    assertEquals(PageWrite.OutcomeEnum.WITHDRAWN, withdrawn.getOutcome());
    Poll.until(SOON, "the withdrawn page leaves search", () -> !finds(anonymous, SHIMADA, "入園", url));
    assertEquals(PageWrite.OutcomeEnum.ALREADY_WITHDRAWN, editor.withdrawPage(SHIMADA, first.getPage().getId()).getOutcome());

    PageWrite back = editor.upsertPage(SHIMADA, input);
    assertEquals(PageWrite.OutcomeEnum.PUBLISHED, back.getOutcome());
    assertEquals(first.getPage().getId(), back.getPage().getId(), "the URL keeps its page");
    Poll.until(SOON, "the page published again is searchable", () -> finds(anonymous, SHIMADA, "入園", url));

    List<String> kinds = new ArrayList<>();
    for (Row r : await(node.platform().services().pool().preparedQuery(
        "SELECT kind FROM content_change WHERE page_id = $1 ORDER BY id").execute(Tuple.of(first.getPage().getId())))) {
      kinds.add(r.getString(0));
    }
    assertEquals(List.of("published", "updated", "withdrawn", "published"), kinds);
    Poll.until(SOON, "four events on the bus", () -> events.stream()
        .filter(e -> first.getPage().getId().toString().equals(e.getString("pageId"))).count() == 4);
    List<String> addresses = events.stream().filter(e -> first.getPage().getId().toString().equals(e.getString("pageId")))
        .map(e -> e.getString("address")).toList();
    assertEquals(List.of(ContentAddresses.PAGE_PUBLISHED, ContentAddresses.PAGE_UPDATED, ContentAddresses.PAGE_WITHDRAWN,
        ContentAddresses.PAGE_PUBLISHED), addresses);
    long audited = await(node.platform().services().pool().preparedQuery(
        "SELECT count(*) FROM audit_log WHERE target_type = 'page' AND target_id = $1").execute(Tuple.of(first.getPage().getId().toString())))
        .iterator().next().getLong(0);
    assertEquals(4, audited);
  }

  @Test
  void concurrentFirstPushesOfOneUrlPublishOnce() throws Exception {
    String url = "https://www.city.shimada.shizuoka.jp/bousai/kunren.html";
    PageInput input = page(url, "総合防災訓練のお知らせ", "<p>9月1日に総合防災訓練を行います。</p>", "bousai");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<PageWrite>> writes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        writes.add(pool.submit(() -> editor.upsertPage(SHIMADA, input)));
      }
      int published = 0;
      for (Future<PageWrite> w : writes) {
        published += w.get().getOutcome() == PageWrite.OutcomeEnum.PUBLISHED ? 1 : 0;
      }
      assertEquals(1, published);
    } finally {
      pool.shutdown();
    }
    long changes = await(node.platform().services().pool().preparedQuery("SELECT count(*) FROM content_change c "
        + "JOIN content_page p ON p.id = c.page_id WHERE p.url = $1").execute(Tuple.of(url))).iterator().next().getLong(0);
    assertEquals(1, changes);
  }

  @Test
  void searchHasFacetsWithLabelsSnippetsSuggestionsAndFilters() throws Exception {
    editor.upsertPage(SHIMADA, page("https://www.city.shimada.shizuoka.jp/kosodate/shien-center.html", "子育て支援センターの利用",
        "<p>子育て支援センターでは、親子で遊べる広場を開いています。</p>", "kosodate").lifeStages(List.of(LifeStage.INFANT)));
    editor.upsertPage(SHIMADA, page("https://www.city.shimada.shizuoka.jp/gomi/wake.html", "ごみの分け方と出し方",
        "<p>燃やすごみは月曜日と木曜日です。子育て中の家庭には紙おむつ用の袋があります。</p>", "gomi"));
    Poll.until(SOON, "both pages are searchable", () -> search(anonymous, SHIMADA, "子育て").getTotal() >= 2);

    SearchResults all = search(anonymous, SHIMADA, "子育て");
    SearchHit top = all.getHits().get(0);
    assertEquals("子育て支援センターの利用", top.getTitle(), "a title match ranks first");
    assertTrue(top.getSnippet().contains("<mark>"), top.getSnippet());
    assertEquals("子育て", top.getCategoryLabelJa());
    var categories = all.getFacets().get("category");
    assertTrue(categories.stream().anyMatch(v -> v.getValue().equals("gomi") && v.getCount() == 1 && "ごみ".equals(v.getLabelJa())));

    SearchResults filtered = anonymous.searchPages("子育て", List.of(SHIMADA), List.of("gomi"), null, null, null, null, null, null,
        null, 0, 10, null, null);
    assertEquals(1, filtered.getTotal());
    assertEquals("ごみの分け方と出し方", filtered.getHits().get(0).getTitle());
    SearchResults infants = anonymous.searchPages("", List.of(SHIMADA), null, null, null, List.of("infant"), null, null,
        List.of("last_7_days"), null, 0, 10, null, null);
    assertEquals(List.of("子育て支援センターの利用"), infants.getHits().stream().map(SearchHit::getTitle).toList());
    SearchResults everywhere = search(anonymous, null, "子育て");
    assertTrue(everywhere.getTotal() >= 2, "without tenant every municipality is searched");

    assertTrue(anonymous.suggestPages("こそだ", List.of(SHIMADA), 5).getItems().contains("子育て支援センターの利用"));
    assertTrue(anonymous.suggestPages("こそだ", List.of(Fixtures.ICHIHARA), 5).getItems().isEmpty(), "other municipalities' titles stay out");
  }

  @Test
  void aFreeDateRangeKeepsPagesPublishedOnThoseDaysInJapan() throws Exception {
    // 2024-03-31T15:30Z is 2024-04-01 00:30 in Japan: inside a range that starts on 1 April.
    editor.upsertPage(SHIMADA, page("https://www.city.shimada.shizuoka.jp/zei/kotei-2024.html", "固定資産税の納期（令和6年度）",
        "<p>固定資産税の第1期の納期限です。</p>", "").publishedAt(OffsetDateTime.parse("2024-03-31T15:30:00Z")));
    editor.upsertPage(SHIMADA, page("https://www.city.shimada.shizuoka.jp/zei/kotei-2023.html", "固定資産税の納期（令和5年度）",
        "<p>固定資産税の第1期の納期限です。</p>", "").publishedAt(OffsetDateTime.parse("2023-03-31T14:59:00Z")));
    editor.upsertPage(SHIMADA, page("https://www.city.shimada.shizuoka.jp/zei/kotei-oshirase.html", "固定資産税のお知らせ",
        "<p>固定資産税の納期限が近づいています。</p>", "").publishedAt(OffsetDateTime.parse("2024-05-01T00:00:00+09:00")));
    Poll.until(SOON, "the tax pages are searchable", () -> search(anonymous, SHIMADA, "固定資産税").getTotal() >= 3);

    assertEquals(List.of("固定資産税の納期（令和6年度）"), titlesBetween("2024-04-01", "2024-04-30"));
    SearchResults april = anonymous.searchPages("固定資産税", List.of(SHIMADA), null, null, null, null, null, null, null,
        null, 0, 10, LocalDate.parse("2024-04-01"), LocalDate.parse("2024-04-30"));
    assertEquals(LocalDate.parse("2024-04-01"), april.getHits().get(0).getPublishedOn(),
        "the hit shows the day the range counts in, not the UTC day before");
    assertEquals(LocalDate.ofInstant(april.getHits().get(0).getUpdatedAt().toInstant(), java.time.ZoneId.of("Asia/Tokyo")),
        april.getHits().get(0).getUpdatedOn(), "written just now: updated today in Japan");
    assertEquals(List.of("固定資産税の納期（令和5年度）"), titlesBetween(null, "2023-03-31"), "23:59 in Japan is still that day");
    assertEquals(List.of("固定資産税のお知らせ"), titlesBetween("2024-05-01", null));
    assertEquals(List.of("固定資産税のお知らせ"), titlesBetween("2024-05-01", "2024-05-01"), "one day, both ends inclusive");
    assertEquals(3, titlesBetween("2023-01-01", "2024-12-31").size());
    assertEquals(List.of(), titlesBetween("2025-01-01", null));
    SearchResults withFacet = anonymous.searchPages("固定資産税", List.of(SHIMADA), null, null, null, null, null, null,
        List.of("older"), List.of("published"), 0, 10, LocalDate.parse("2024-01-01"), null);
    assertEquals(2, withFacet.getTotal());
    assertTrue(withFacet.getHits().stream().allMatch(h -> h.getTitle().contains("令和6年度") || h.getTitle().contains("お知らせ")),
        "the range and the published buckets are both applied");

    assertProblem(400, "search-date-range", () -> titlesBetween("2024-05-01", "2024-04-30"));
    for (String bad : List.of("2024-13-01", "2024-02-30", "20240401", "2024-4-1", "yesterday", "0001-01-01", "2024-04-01T00:00:00Z")) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.baseUrl()
          + "/api/v1/search?tenant=" + SHIMADA + "&q=%E7%A8%8E&from=" + URLEncoder.encode(bad, StandardCharsets.UTF_8))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(400, r.statusCode(), bad + ": " + r.body());
      assertEquals("application/problem+json", r.headers().firstValue("content-type").orElse("").split(";")[0]);
      assertEquals("/problems/search-bad-date", new JsonObject(r.body()).getString("type"), r.body());
      assertTrue(new JsonObject(r.body()).getString("detail").startsWith("from "), r.body());
    }
  }

  private static List<String> titlesBetween(String from, String to) throws ApiException {
    return anonymous.searchPages("固定資産税", List.of(SHIMADA), null, null, null, null, null, null, null, null, 0, 10,
        from == null ? null : LocalDate.parse(from), to == null ? null : LocalDate.parse(to))
        .getHits().stream().map(SearchHit::getTitle).sorted().toList();
  }

  @Test
  void moreChangesThanOneReadAreAllApplied() {
    var module = node.platform().services().content();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 520; i++) {
      ids.add(await(module.content().upsert(Author.system(), SHIMADA, new PageDraft(
          "https://www.city.shimada.shizuoka.jp/bulk/" + i + ".html", "一括ページ" + i, "", "<p>一括で公開したページです。</p>",
          null, null, List.of(), List.of(), List.of(), "ja", null), "cms")).page().id().toString());
    }
    Poll.until(Duration.ofSeconds(20), "every page of several reads is in the index",
        () -> ids.stream().allMatch(id -> module.indexes().pages().contains(SHIMADA, id)));
    long latest = await(module.content().repository().latestChange());
    Poll.until(Duration.ofSeconds(5), "the indexer reached the newest change", () -> module.indexer().pagesApplied() >= latest);
  }

  @Test
  void didYouMeanCorrectsAMistypedWord() throws Exception {
    editor.upsertPage(SHIMADA, page("https://www.city.shimada.shizuoka.jp/kenko/vaccine.html", "予防接種とワクチンの案内",
        "<p>ワクチンの接種は予約制です。</p>", null));
    Poll.until(SOON, "the page is searchable", () -> search(anonymous, SHIMADA, "ワクチン").getTotal() >= 1);
    assertEquals("ワクチン", search(anonymous, SHIMADA, "ワクチソ").getDidYouMean());
  }

  @Test
  void badSearchesAreClearProblems() {
    assertProblem(400, "search-query-syntax", () -> search(anonymous, SHIMADA, "\"保育園"));
    assertProblem(400, "search-query-too-long", () -> search(anonymous, SHIMADA, "保育園".repeat(90)));
    assertProblem(400, "invalid-request", () -> search(anonymous, SHIMADA, "a".repeat(1001)));
    assertProblem(400, "search-page-size", () -> anonymous.searchPages("保育園", List.of(SHIMADA), null, null, null, null, null,
        null, null, null, 0, 1000, null, null));
    assertProblem(400, "search-offset", () -> anonymous.searchPages("保育園", List.of(SHIMADA), null, null, null, null, null,
        null, null, null, 20_000, 10, null, null));
    assertProblem(400, "search-unknown-facet", () -> anonymous.searchPages("保育園", List.of(SHIMADA), null, null, null, null,
        null, null, null, List.of("colour"), 0, 10, null, null));
    assertProblem(400, "search-bad-argument", () -> anonymous.searchPages("保育園", List.of(SHIMADA), null, null, null, null,
        null, null, List.of("yesterday"), null, 0, 10, null, null));
    assertProblem(404, "not-found", () -> search(anonymous, "131016", "保育園"));
    assertProblem(400, "invalid-request", () -> anonymous.suggestPages("a".repeat(101), null, 5));
    assertProblem(400, "invalid-request", () -> anonymous.searchPages("保育園", List.of("22209"), null, null, null, null, null,
        null, null, null, 0, 10, null, null));
  }

  @Test
  void badPagesAndWrongCallersAreRefusedAndWriteNothing() throws Exception {
    long before = changeCount();
    String url = "https://www.city.shimada.shizuoka.jp/x.html";
    assertProblem(422, "unknown-term", () -> editor.upsertPage(SHIMADA, page(url, "題", "", "nosuch")));
    assertProblem(422, "unknown-district", () -> editor.upsertPage(SHIMADA, page(url, "題", "", null).districts(List.of("d9"))));
    assertProblem(400, "invalid-page", () -> editor.upsertPage(SHIMADA, page("ftp://example.jp/x", "題", "", null)));
    assertProblem(400, "invalid-page", () -> editor.upsertPage(SHIMADA, page(url, "   ", "", null)));
    assertProblem(401, "unauthenticated", () -> anonymous.upsertPage(SHIMADA, page(url, "題", "", null)));
    ContentApi clerk = new ContentApi(ContentTesting.staff(node, "clerk@ichihara.example"));
    assertProblem(403, "forbidden", () -> clerk.upsertPage(Fixtures.ICHIHARA, page(url, "題", "", null)));
    assertProblem(404, "not-found", () -> editor.upsertPage(Fixtures.ICHIHARA, page(url, "題", "", null)));
    assertProblem(404, "not-found", () -> editor.withdrawPageByUrl(SHIMADA, new PageWithdrawal().url("https://nowhere.example/")));
    assertProblem(400, "invalid-term", () -> editor.saveTaxonomyTerm(SHIMADA, "category", "x",
        new jp.tsunagu.api.model.TaxonomyTermInput().nameJa(" ")));
    assertEquals(before, changeCount(), "nothing refused reached the change log");
    assertEquals(0, await(node.platform().services().pool().preparedQuery("SELECT count(*) FROM content_page WHERE url = $1")
        .execute(Tuple.of(url))).iterator().next().getLong(0));
  }

  static long changeCount() {
    return await(node.platform().services().pool().query("SELECT count(*) FROM content_change").execute()).iterator().next().getLong(0);
  }

}

package jp.tsunagu.search.page;

import static jp.tsunagu.search.page.Pages.CHIYODA;
import static jp.tsunagu.search.page.Pages.NOW;
import static jp.tsunagu.search.page.Pages.SAPPORO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.index.WriteToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageIndexTest {

  @TempDir Path dir;
  AnalysisRegistry analysis;
  PageIndex index;

  @BeforeEach
  void open() {
    analysis = new AnalysisRegistry();
    index = PageIndex.open(dir, analysis);
  }

  @AfterEach
  void close() throws Exception {
    index.close();
    analysis.close();
  }

  void add(Page... pages) throws InterruptedException {
    WriteToken last = null;
    for (Page p : pages) {
      last = index.upsert(p);
    }
    assertTrue(index.awaitSearchable(last, Duration.ofSeconds(30)));
  }

  PageResults search(String text, String... tenants) {
    return index.search(PageQuery.builder(tenants).text(text).now(NOW).build());
  }

  static List<String> ids(PageResults r) {
    return r.hits().stream().map(PageHit::id).toList();
  }

  @Test
  void kanaAndKanjiSpellingsFindEachOther() throws Exception {
    add(Pages.ja(CHIYODA, "p1", "子供の予防接種", "生後2か月から受けられます。", "健康"),
        Pages.ja(CHIYODA, "p2", "こども食堂のご案内", "地域のこども食堂を紹介します。", "子育て"),
        Pages.ja(CHIYODA, "p3", "道路工事のお知らせ", "通行止めになります。", "まちづくり"));
    assertEquals(Set.of("p1", "p2"), Set.copyOf(ids(search("こども", CHIYODA))));
    assertEquals(Set.of("p1", "p2"), Set.copyOf(ids(search("子ども", CHIYODA))));
    assertEquals(Set.of("p1", "p2"), Set.copyOf(ids(search("子供", CHIYODA))));
  }

  @Test
  void titleOutweighsBody() throws Exception {
    add(Pages.ja(CHIYODA, "body", "区からのお知らせ", "保育園の申し込みは窓口で受け付けます。区役所へお越しください。", "子育て"),
        Pages.ja(CHIYODA, "title", "保育園の申し込み", "窓口で受け付けます。区役所へお越しください。", "子育て"));
    assertEquals(List.of("title", "body"), ids(search("保育園 申し込み", CHIYODA)));
  }

  @Test
  void wordsMayMatchInDifferentFields() throws Exception {
    add(Pages.ja(CHIYODA, "p1", "保育園の入園", "申し込みは窓口で受け付けます。", "子育て"));
    assertEquals(List.of("p1"), ids(search("保育園 申し込み", CHIYODA)));
    assertEquals(List.of(), ids(search("保育園 花火", CHIYODA)));
  }

  @Test
  void upsertReplacesAndWithdrawalDeletes() throws Exception {
    add(Pages.ja(CHIYODA, "p1", "花火大会", "夏の花火大会です。", "イベント"));
    add(Pages.ja(CHIYODA, "p1", "花火大会（中止）", "今年は中止します。", "イベント"));
    assertEquals(1, index.count());
    assertEquals("花火大会（中止）", search("花火", CHIYODA).hits().getFirst().title());
    Page withdrawn = Pages.ja(CHIYODA, "p1", "花火大会", "", "イベント");
    withdrawn = new Page(withdrawn.tenant(), withdrawn.id(), withdrawn.url(), withdrawn.title(), "", "", "イベント", "",
        List.of(), List.of(), Set.of(), Language.JA, NOW, NOW, true);
    add(withdrawn);
    assertEquals(0, index.count());
    WriteToken again = index.delete(CHIYODA, "p1");
    assertTrue(index.awaitSearchable(again, Duration.ofSeconds(30)));
  }

  @Test
  void tenantFilterIsolatesMunicipalities() throws Exception {
    add(Pages.ja(CHIYODA, "c1", "粗大ごみの出し方", "申し込みが必要です。", "ごみ"),
        Pages.ja(SAPPORO, "s1", "粗大ごみの出し方", "札幌市の粗大ごみ収集センターへ。", "ごみ"));
    assertEquals(List.of("c1"), ids(search("粗大ごみ", CHIYODA)));
    assertEquals(List.of("s1"), ids(search("粗大ごみ", SAPPORO)));
    assertEquals(2, search("粗大ごみ", CHIYODA, SAPPORO).total());
  }

  @Test
  void tenantsWithTheirOwnAnalysisAreSearchedTogether() throws Exception {
    analysis.configure(CHIYODA, "神田須田町,神田須田町,カンダスダチョウ,カスタム名詞\n", "");
    add(Pages.ja(CHIYODA, "c1", "神田須田町の避難所", "避難所の一覧です。", "防災"),
        Pages.ja(SAPPORO, "s1", "避難所の一覧", "札幌市の避難所です。", "防災"));
    assertEquals(List.of("c1"), ids(search("神田須田町", CHIYODA)));
    assertEquals(List.of("c1"), ids(search("かんだすだちょう", CHIYODA)));
    assertEquals(2, search("避難所", CHIYODA, SAPPORO).total());
  }

  @Test
  void tenantSynonymsWidenTheQuery() throws Exception {
    analysis.configure(CHIYODA, "", "ごみ,塵芥\n");
    add(Pages.ja(CHIYODA, "c1", "塵芥処理場の見学", "見学を受け付けます。", "ごみ"));
    assertEquals(List.of("c1"), ids(search("ごみ", CHIYODA)));
  }

  @Test
  void facetsCountMatchingPagesAndFiltersNarrow() throws Exception {
    add(Pages.ja(CHIYODA, "a", "保育園の空き状況", "保育園の空き", "子育て", "神田", NOW.minus(Duration.ofDays(3))),
        Pages.ja(CHIYODA, "b", "保育園の見学", "保育園の見学会", "子育て", "麹町", NOW.minus(Duration.ofDays(20))),
        Pages.ja(CHIYODA, "c", "保育園の災害時対応", "保育園の避難", "防災", "神田", NOW.minus(Duration.ofDays(400))));
    PageResults all = index.search(PageQuery.builder(CHIYODA).text("保育園").now(NOW)
        .facets("category", "district", "published", "life_stage").build());
    assertEquals(List.of(new FacetCount("子育て", 2), new FacetCount("防災", 1)), all.facets().get("category"));
    assertEquals(List.of(new FacetCount("神田", 2), new FacetCount("麹町", 1)), all.facets().get("district"));
    assertEquals(List.of(new FacetCount("preschool", 3)), all.facets().get("life_stage"));
    assertEquals(List.of(new FacetCount("last_7_days", 1), new FacetCount("last_30_days", 2),
        new FacetCount("last_365_days", 2), new FacetCount("older", 1)), all.facets().get("published"));
    PageResults narrowed = index.search(PageQuery.builder(CHIYODA).text("保育園").now(NOW)
        .filter("district", "神田").filter("published", "last_30_days").build());
    assertEquals(List.of("a"), ids(narrowed));
  }

  @Test
  void snippetsMarkTheMatchAndEscapeHtml() throws Exception {
    add(Pages.ja(CHIYODA, "p1", "ワクチン接種", "<b>注意</b> 新型コロナワクチンの接種券を送ります。", "健康"));
    String snippet = search("ワクチン", CHIYODA).hits().getFirst().snippet();
    assertTrue(snippet.contains("<mark>ワクチン</mark>"), snippet);
    assertTrue(snippet.contains("&lt;b&gt;"), snippet);
  }

  @Test
  void newerPagesRankAboveEqualOlderOnes() throws Exception {
    add(Pages.ja(CHIYODA, "old", "防災訓練のお知らせ", "防災訓練を行います。", "防災", "神田", NOW.minus(Duration.ofDays(700))),
        Pages.ja(CHIYODA, "new", "防災訓練のお知らせ", "防災訓練を行います。", "防災", "神田", NOW.minus(Duration.ofDays(2))));
    assertEquals(List.of("new", "old"), ids(search("防災訓練", CHIYODA)));
  }

  @Test
  void bestBetsArePinnedAboveResultsOnce() throws Exception {
    add(Pages.ja(CHIYODA, "guide", "くらしのガイド", "転入の手続き一覧。", "くらし"),
        Pages.ja(CHIYODA, "move", "転入届", "転入の手続きです。", "くらし"));
    index.bestBets().replace(CHIYODA, Map.of("引っ越し", List.of("guide"), "転入", List.of("guide")));
    PageResults r = search("転入", CHIYODA);
    assertEquals(List.of("guide"), r.pinned().stream().map(PageHit::id).toList());
    assertTrue(r.pinned().getFirst().pinned());
    assertEquals(List.of("move"), ids(r));
    assertEquals(List.of("guide"), search("引っ越し", CHIYODA).pinned().stream().map(PageHit::id).toList());
  }

  @Test
  void suggestionsFromKanaPrefixFindKanjiTitles() throws Exception {
    add(Pages.ja(CHIYODA, "p1", "子育て支援センターの利用", "本文", "子育て"),
        Pages.ja(CHIYODA, "p2", "粗大ごみの申し込み", "本文", "ごみ"),
        Pages.ja(SAPPORO, "p3", "子育てサロン", "本文", "子育て"));
    assertEquals(List.of("子育て支援センターの利用"), index.suggest(Set.of(CHIYODA), "こそだ", 5));
    assertEquals(List.of("子育て支援センターの利用"), index.suggest(Set.of(CHIYODA), "子育", 5));
    assertEquals(List.of("子育て支援センターの利用"), index.suggest(Set.of(CHIYODA), "しえん", 5));
    assertEquals(List.of("粗大ごみの申し込み"), index.suggest(Set.of(CHIYODA), "ｿﾀﾞｲ", 5));
    assertEquals(2, index.suggest(Set.of(CHIYODA, SAPPORO), "こそだ", 5).size());
    assertEquals(List.of(), index.suggest(Set.of(CHIYODA), "", 5));
  }

  @Test
  void didYouMeanCorrectsAMisspelledWord() throws Exception {
    add(Pages.ja(CHIYODA, "p1", "ワクチン接種", "ワクチンの接種券", "健康"));
    PageResults r = search("ワクチソ", CHIYODA);
    assertEquals(0, r.total());
    assertEquals("ワクチン", r.didYouMean().orElseThrow());
    assertFalse(search("ワクチン", CHIYODA).didYouMean().isPresent());
  }

  @Test
  void englishPagesAreStemmed() throws Exception {
    add(Pages.en(CHIYODA, "en1", "Public library", "The city runs three libraries open on Sundays."));
    assertEquals(List.of("en1"), ids(search("library opening", CHIYODA)));
    assertTrue(search("libraries", CHIYODA).hits().getFirst().snippet().contains("<mark>"));
  }

  @Test
  void phrasesExclusionsAndOr() throws Exception {
    add(Pages.ja(CHIYODA, "a", "保育園の入園申し込み", "入園の申し込み", "子育て"),
        Pages.ja(CHIYODA, "b", "幼稚園の入園申し込み", "入園の申し込み", "子育て"),
        Pages.ja(CHIYODA, "c", "学童保育の申し込み", "申し込み", "子育て"));
    assertEquals(Set.of("a", "b"), Set.copyOf(ids(search("入園 申し込み", CHIYODA))));
    assertEquals(Set.of("b"), Set.copyOf(ids(search("入園 -保育園", CHIYODA))));
    assertEquals(Set.of("a", "b"), Set.copyOf(ids(search("保育園 OR 幼稚園", CHIYODA))));
    assertEquals(Set.of("a"), Set.copyOf(ids(search("\"保育園の入園\"", CHIYODA))));
    assertEquals(0, search("の", CHIYODA).total());
    assertEquals(0, search("tenant:011002 AND (保育園) * ?~^", CHIYODA).total());
    assertEquals(Set.of("a"), Set.copyOf(ids(search("(保育園)", CHIYODA))));
  }

  @Test
  void paginationWalksTheResults() throws Exception {
    for (int i = 0; i < 25; i++) {
      index.upsert(Pages.ja(CHIYODA, "p" + i, "お知らせ " + i, "防災のお知らせです。", "防災"));
    }
    add(Pages.ja(CHIYODA, "last", "お知らせ", "防災", "防災"));
    PageResults first = index.search(PageQuery.builder(CHIYODA).text("防災").page(0, 10).now(NOW).build());
    PageResults third = index.search(PageQuery.builder(CHIYODA).text("防災").page(20, 10).now(NOW).build());
    assertEquals(26, first.total());
    assertEquals(10, first.hits().size());
    assertEquals(6, third.hits().size());
  }

  @Test
  void emptyTextListsNewestFirst() throws Exception {
    add(Pages.ja(CHIYODA, "old", "古い", "本文", "防災", "神田", NOW.minus(Duration.ofDays(50))),
        Pages.ja(CHIYODA, "new", "新しい", "本文", "防災", "神田", NOW.minus(Duration.ofDays(1))));
    assertEquals(List.of("new", "old"), ids(search("", CHIYODA)));
  }
}

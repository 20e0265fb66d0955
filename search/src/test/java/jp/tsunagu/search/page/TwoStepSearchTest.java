package jp.tsunagu.search.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.corpus.MunicipalCorpus;
import jp.tsunagu.search.index.FacetedSearcher;
import jp.tsunagu.search.index.WriteToken;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-step page search (matching-only fields, then the full ranking of the pages that can
 * reach the window) answers exactly what scoring every match answers: the same hits in the same
 * order with the same scores, the same total and the same facet counts, for every kind of query
 * the language has, across tenants with different analysis, on a live index with several segments
 * and deleted pages.
 */
class TwoStepSearchTest {

  static final String OTHER = Pages.SAPPORO;

  @TempDir static Path dir;
  static AnalysisRegistry analysis;
  static PageIndex index;

  @BeforeAll
  static void build() throws Exception {
    analysis = new AnalysisRegistry();
    analysis.configure(OTHER, "", "保育園,保育所\nごみ,ゴミ\n");
    index = PageIndex.open(dir.resolve("pages"), analysis);
    WriteToken last = null;
    List<MunicipalCorpus.Generated> corpus = new MunicipalCorpus(11L, 300).generate(2_400);
    for (int i = 0; i < corpus.size(); i++) {
      Page p = corpus.get(i).page();
      if (i % 3 == 0) {
        p = new Page(OTHER, p.id(), p.url(), p.title(), p.summary(), p.body(), p.category(), p.department(), p.tags(),
            p.districts(), p.lifeStages(), p.language(), p.published(), p.updated(), false);
      }
      last = index.upsert(p);
      if (i % 500 == 0) {
        index.commit(i);
      }
    }
    for (int i = 0; i < 60; i++) {
      last = index.upsert(Pages.en(MunicipalCorpus.TENANT, "en" + i, "Nursery application guide " + i,
          "How to apply for a nursery place; garbage collection days change in winter " + i));
    }
    for (int i = 0; i < 2_400; i += 7) {
      last = index.delete(i % 3 == 0 ? OTHER : MunicipalCorpus.TENANT, "p" + i);
    }
    assertTrue(index.awaitSearchable(last, Duration.ofMinutes(1)));
  }

  @AfterAll
  static void close() throws Exception {
    index.close();
    analysis.close();
  }

  static final List<String> TEXTS = List.of("保育園 申し込み", "子供 医療費 助成", "こどもの医療費", "ごみ 収集日",
      "ｿﾀﾞｲｺﾞﾐ", "\"粗大ごみ 収集\"", "防災訓練 -日程", "図書館 OR 花火大会", "マイナンバーカード 手続き",
      "ごみ", "申請", "nursery application", "garbage OR 保育所", "かんだ", "住民税 変更 -案内");

  static List<PageQuery> requests() {
    List<PageQuery> all = new ArrayList<>();
    for (String text : TEXTS) {
      all.add(request(text, b -> {}));
      all.add(request(text, b -> b.page(20, 10)));
      all.add(request(text, b -> b.filter("category", "子育て", "ごみ")));
      all.add(request(text, b -> b.tenants(List.of(OTHER))));
      all.add(request(text, b -> b.filter("published", "last_365_days").page(0, 50)));
    }
    return all;
  }

  static PageQuery request(String text, Consumer<PageQuery.Builder> more) {
    PageQuery.Builder b = PageQuery.builder(MunicipalCorpus.TENANT).text(text).highlight(false)
        .facets("category", "department", "district", "published").now(MunicipalCorpus.EPOCH);
    more.accept(b);
    return b.build();
  }

  /**
   * The request in one pass and in two steps, on the same searcher: a merge finishing in between
   * would drop deleted pages from the term statistics and change every score.
   */
  static PageResults[] runBoth(PageSearch search, PageQuery request) throws Exception {
    java.lang.reflect.Field f = PageIndex.class.getDeclaredField("index");
    f.setAccessible(true);
    @SuppressWarnings("unchecked")
    var generational = (jp.tsunagu.search.index.GenerationalIndex<FacetedSearcher>) f.get(index);
    return generational.search(s -> new PageResults[] {search.run(s, request, false), search.run(s, request, true)});
  }

  @Test
  void sameHitsScoresTotalsAndFacetsAsScoringEveryMatch() throws Exception {
    // 0: rank every search in two steps, however few its matches
    PageSearch search = new PageSearch(analysis, new BestBets(), 0);
    int compared = 0;
    for (PageQuery request : requests()) {
      PageResults[] both = runBoth(search, request);
      PageResults all = both[0];
      PageResults two = both[1];
      String what = request.text() + " " + request.tenants() + " " + request.filters() + " @" + request.offset();
      assertEquals(all.total(), two.total(), what);
      assertEquals(all.facets(), two.facets(), what);
      assertEquals(all.hits().size(), two.hits().size(), what);
      for (int i = 0; i < all.hits().size(); i++) {
        PageHit a = all.hits().get(i);
        PageHit b = two.hits().get(i);
        assertEquals(a.score(), b.score(), Math.abs(a.score()) * 1e-5, what + " #" + i);
        if (i == 0 || a.score() != all.hits().get(i - 1).score()) {
          assertEquals(a.tenant() + "/" + a.id(), b.tenant() + "/" + b.id(), what + " #" + i);
        }
      }
      compared += all.hits().isEmpty() ? 0 : 1;
    }
    assertTrue(compared > 50, "most requests find something: " + compared);
  }

  @Test
  void everyQueryOfTheLanguageHasABoundSoNoneFallsBackToScoringEveryMatch() {
    PageQueries queries = new PageQueries(analysis);
    for (PageQuery request : requests()) {
      assertNotNull(CandidateRanking.of(queries.build(request, Set.of(), true)), request.text());
    }
  }

  @Test
  void rankingScoresFewerPagesThanMatchWhenTheWindowIsSmall() throws Exception {
    PageQueries queries = new PageQueries(analysis);
    java.lang.reflect.Field f = PageIndex.class.getDeclaredField("index");
    f.setAccessible(true);
    @SuppressWarnings("unchecked")
    var generational = (jp.tsunagu.search.index.GenerationalIndex<FacetedSearcher>) f.get(index);
    PageQuery request = request("申請", b -> {});
    long[] totalAndScored = generational.search(s -> {
      IndexStats stats = new IndexStats(s);
      assertTrue(stats.hasMatchFields());
      var full = queries.build(request, Set.of(), stats, true);
      long total = s.count(full);
      return new long[] {total, CandidateRanking.of(full).top(s, full, total, 10, stats, 0).scored()};
    });
    assertTrue(totalAndScored[1] < totalAndScored[0] / 2, "scored " + totalAndScored[1] + " of " + totalAndScored[0]);
  }

  @Test
  void anIndexWrittenBeforeTheMatchingFieldsIsSearchedInOnePassWithTheSameResults() throws Exception {
    Path old = Files.createDirectories(dir.resolve("old"));
    PageDocuments documents = new PageDocuments(analysis);
    try (FSDirectory directory = FSDirectory.open(old)) {
      try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analysis.english()))) {
        List<MunicipalCorpus.Generated> corpus = new MunicipalCorpus(5L, 200).generate(300);
        for (int i = 0; i < corpus.size(); i++) {
          Document doc = documents.toDocument(corpus.get(i).page());
          if (i % 2 == 0) {
            // as written before the matching fields existed
            for (String field : List.of(PageFields.FORMAT, PageFields.MATCH, PageFields.MATCH_READING, PageFields.MATCH_EN)) {
              doc.removeFields(field);
            }
          }
          writer.addDocument(doc);
        }
      }
      try (DirectoryReader reader = DirectoryReader.open(directory)) {
        FacetedSearcher searcher = (FacetedSearcher) FacetedSearcher.factory(PageFields.facetsConfig()).newSearcher(reader, null);
        assertFalse(new IndexStats(searcher).hasMatchFields());
        PageQuery request = request("申請 OR ごみ", b -> {});
        // The query has a bound: only the index decides.
        assertNotNull(CandidateRanking.of(new PageQueries(analysis).build(request, Set.of(), false)));
        PageSearch search = new PageSearch(analysis, new BestBets(), 0);
        PageResults one = search.run(searcher, request, false);
        PageResults two = search.run(searcher, request, true);
        assertTrue(one.total() > 0);
        assertEquals(one.total(), two.total());
        assertEquals(one.facets(), two.facets());
        assertEquals(one.hits().stream().map(PageHit::id).toList(), two.hits().stream().map(PageHit::id).toList());
      }
    }
  }
}

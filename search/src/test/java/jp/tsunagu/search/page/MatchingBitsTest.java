package jp.tsunagu.search.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.corpus.MunicipalCorpus;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The matching pass evaluated as bit sets where a segment has many matches counts exactly what
 * Lucene's scorers collect: the same total and the same counts of every facet, for words Kuromoji
 * splits (inside a disjunction with their reading), OR groups, exclusions, phrases, filters and
 * ranges, on segments with deleted pages, dense ones and sparse ones.
 */
class MatchingBitsTest {

  @TempDir static Path dir;
  static AnalysisRegistry analysis;
  static Directory directory;

  @BeforeAll
  static void build() throws Exception {
    analysis = new AnalysisRegistry();
    PageDocuments documents = new PageDocuments(analysis);
    List<MunicipalCorpus.Generated> corpus = new MunicipalCorpus(5L, 300).generate(3_000);
    directory = FSDirectory.open(dir.resolve("pages"));
    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analysis.english()))) {
      for (int i = 0; i < corpus.size(); i++) {
        writer.addDocument(documents.toDocument(corpus.get(i).page()));
        if (i % 1_000 == 999) {
          writer.commit();
        }
      }
      // a small segment where every query is sparse
      for (int i = 0; i < 40; i++) {
        writer.addDocument(documents.toDocument(Pages.ja(MunicipalCorpus.TENANT, "rare" + i, "ユニコーン広場の案内 " + i,
            "ユニコーン広場は駅の北にあります。ごみの収集日は月曜日です。", "施設")));
      }
      for (int i = 0; i < corpus.size(); i += 11) {
        Page p = corpus.get(i).page();
        writer.deleteDocuments(PageDocuments.key(p.tenant(), p.id()));
      }
    }
  }

  @AfterAll
  static void close() throws Exception {
    directory.close();
    analysis.close();
  }

  static List<PageQuery> requests() {
    List<PageQuery> all = new ArrayList<>();
    for (String text : List.of("保育園 申し込み", "防災訓練 日程", "介護保険 申請", "マイナンバーカード 手続き", "ごみ 収集日 年末年始",
        "子供 医療費 助成", "図書館 OR 花火大会", "防災訓練 -日程", "住民税 変更 -案内", "\"粗大ごみ 収集\"", "ユニコーン",
        "ユニコーン ごみ", "申請", "存在しない言葉")) {
      all.add(FacetLayoutTest.request(text, b -> {}));
      all.add(FacetLayoutTest.request(text, b -> b.filter("category", "子育て", "ごみ")));
      all.add(FacetLayoutTest.request(text, b -> b.filter("published", "last_365_days")));
      all.add(FacetLayoutTest.request(text, b -> b.publishedBetween(MunicipalCorpus.EPOCH.minusSeconds(86_400L * 400),
          MunicipalCorpus.EPOCH.minusSeconds(86_400L * 30))));
    }
    return all;
  }

  @Test
  void bitSetsCountWhatTheScorersCollect() throws Exception {
    PageQueries queries = new PageQueries(analysis);
    int denseSegments = 0;
    int otherSegments = 0;
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      assertTrue(reader.leaves().size() >= 3 && reader.hasDeletions(), "several segments, with deletions");
      IndexSearcher searcher = new IndexSearcher(reader);
      searcher.setQueryCache(null);
      IndexStats stats = new IndexStats(searcher);
      assertTrue(stats.hasMatchFields());
      for (PageQuery request : requests()) {
        Query matching = queries.matching(request, Set.of(), stats, false);
        FacetTally expected = new FacetTally(request.facets(), request.now(), PageSearch.MAX_FACET_VALUES);
        searcher.search(matching, FacetTally.manager(expected));
        FacetTally actual = new FacetTally(request.facets(), request.now(), PageSearch.MAX_FACET_VALUES);
        org.apache.lucene.util.FixedBitSet[] fromBits = MatchingBits.count(searcher, matching, actual);
        String what = request.text() + " " + request.filters() + " " + request.publishedFrom() + " " + matching;
        assertEquals(expected.total(), actual.total(), what);
        assertEquals(expected.result(), actual.result(), what);
        long fromBitSets = 0;
        for (org.apache.lucene.util.FixedBitSet bits : fromBits) {
          if (bits != null) {
            fromBitSets += bits.cardinality();
            denseSegments++;
          } else {
            otherSegments++;
          }
        }
        // the bit sets returned hold the live matches of their segments
        assertTrue(fromBitSets <= actual.total(), what);
      }
    }
    assertTrue(denseSegments > 40, "segments counted from bit sets: " + denseSegments);
    assertTrue(otherSegments > 20, "segments counted through the scorers: " + otherSegments);
  }

  @Test
  void aPageSearchCountsTheSameEitherWay() throws Exception {
    PageSearch search = new PageSearch(analysis, new BestBets(), 0);
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      var searcher = FacetLayoutTest.searcher(reader);
      for (PageQuery request : requests()) {
        PageResults twoSteps = search.run(searcher, request, true);
        PageResults onePass = search.run(searcher, request, false);
        assertEquals(onePass.total(), twoSteps.total(), request.text());
        assertEquals(onePass.facets(), twoSteps.facets(), request.text());
      }
    }
  }
}

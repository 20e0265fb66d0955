package jp.tsunagu.search.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.corpus.MunicipalCorpus;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query a page search builds against its searcher finds the same pages with the same scores
 * as the full query (the one saved searches use), while leaving out what cannot change them.
 */
class IndexStatsTest {

  @TempDir static Path dir;
  static AnalysisRegistry analysis;
  static FSDirectory directory;
  static DirectoryReader reader;
  static IndexSearcher searcher;
  static PageQueries queries;

  @BeforeAll
  static void build() throws Exception {
    analysis = new AnalysisRegistry();
    try (PageIndex index = PageIndex.open(dir, analysis)) {
      for (MunicipalCorpus.Generated g : new MunicipalCorpus(7L, 400).generate(600)) {
        index.upsert(g.page());
      }
      index.commit(1);
    }
    directory = FSDirectory.open(dir.resolve("gen-000001"));
    reader = DirectoryReader.open(directory);
    searcher = new IndexSearcher(reader);
    queries = new PageQueries(analysis);
  }

  @AfterAll
  static void close() throws Exception {
    reader.close();
    directory.close();
    analysis.close();
  }

  static PageQuery request(String text) {
    return PageQuery.builder(MunicipalCorpus.TENANT).text(text).now(MunicipalCorpus.EPOCH).build();
  }

  @Test
  void sameHitsAndScoresAsTheFullQuery() throws Exception {
    for (String text : List.of("保育園 申し込み", "子供 医療費 助成", "こどもの医療費", "ごみ 収集日", "ｿﾀﾞｲｺﾞﾐ",
        "\"粗大ごみ 収集\"", "防災訓練 -日程", "図書館 OR 花火大会", "マイナンバーカード 手続き")) {
      Query full = queries.build(request(text), Set.of(), false);
      Query planned = queries.build(request(text), Set.of(), searcher, false);
      assertEquals(searcher.count(full), searcher.count(planned), text);
      TopDocs a = searcher.search(full, 20);
      TopDocs b = searcher.search(planned, 20);
      assertEquals(a.scoreDocs.length, b.scoreDocs.length, text);
      for (int i = 0; i < a.scoreDocs.length; i++) {
        assertEquals(a.scoreDocs[i].score, b.scoreDocs[i].score, a.scoreDocs[i].score * 1e-5, text + " #" + i);
        if (i == 0 || a.scoreDocs[i].score != a.scoreDocs[i - 1].score) {
          assertEquals(a.scoreDocs[i].doc, b.scoreDocs[i].doc, text + " #" + i);
        }
      }
    }
  }

  @Test
  void leavesOutTheReadingOfAWordSpelledOneWayAndTheTenantFilterOfASingleTenantIndex() {
    String planned = queries.build(request("保育園"), Set.of(), searcher, false).toString();
    assertFalse(planned.contains("_reading:"), planned);
    assertFalse(planned.contains("tenant:"), planned);
    String full = queries.build(request("保育園"), Set.of(), false).toString();
    assertTrue(full.contains("title_reading:ホイクエン"), full);
    assertTrue(full.contains("tenant:"), full);
  }

  @Test
  void keepsTheReadingOfAWordPagesSpellDifferently() {
    String planned = queries.build(request("子供"), Set.of(), searcher, false).toString();
    assertTrue(planned.contains("body_reading:コドモ"), planned);
  }
}

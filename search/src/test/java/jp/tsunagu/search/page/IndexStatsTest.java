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
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
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
 * as the query that leaves nothing out, while leaving out what cannot change them: on an index
 * with the combined scoring fields (against the same model built without planning) and on one
 * written before them (against the full per-field query, the one saved searches use).
 */
class IndexStatsTest {

  @TempDir static Path dir;
  static AnalysisRegistry analysis;
  static FSDirectory directory;
  static FSDirectory oldDirectory;
  static DirectoryReader reader;
  static DirectoryReader oldReader;
  /** Pages with the combined scoring fields. */
  static IndexSearcher searcher;
  /** The same pages without them. */
  static IndexSearcher old;
  static PageQueries queries;
  static int found;

  @BeforeAll
  static void build() throws Exception {
    analysis = new AnalysisRegistry();
    List<MunicipalCorpus.Generated> corpus = new MunicipalCorpus(7L, 400).generate(600);
    try (PageIndex index = PageIndex.open(dir.resolve("pages"), analysis)) {
      for (MunicipalCorpus.Generated g : corpus) {
        index.upsert(g.page());
      }
      index.commit(1);
    }
    oldDirectory = FSDirectory.open(dir.resolve("old"));
    PageDocuments documents = new PageDocuments(analysis);
    try (IndexWriter writer = new IndexWriter(oldDirectory, new IndexWriterConfig(analysis.english()))) {
      for (MunicipalCorpus.Generated g : corpus) {
        writer.addDocument(EarlierLayouts.asBeforeRankFields(documents.toDocument(g.page())));
      }
    }
    directory = FSDirectory.open(dir.resolve("pages").resolve("gen-000001"));
    reader = DirectoryReader.open(directory);
    searcher = new IndexSearcher(reader);
    oldReader = DirectoryReader.open(oldDirectory);
    old = new IndexSearcher(oldReader);
    queries = new PageQueries(analysis);
  }

  @AfterAll
  static void close() throws Exception {
    reader.close();
    oldReader.close();
    directory.close();
    oldDirectory.close();
    analysis.close();
  }

  static PageQuery request(String text) {
    return PageQuery.builder(MunicipalCorpus.TENANT).text(text).now(MunicipalCorpus.EPOCH).build();
  }

  static final List<String> TEXTS = List.of("保育園 申し込み", "子供 医療費 助成", "こどもの医療費", "ごみ 収集日", "ｿﾀﾞｲｺﾞﾐ",
      "\"粗大ごみ 収集\"", "防災訓練 -日程", "図書館 OR 花火大会", "マイナンバーカード 手続き");

  @Test
  void sameHitsAndScoresAsTheQueryThatLeavesNothingOut() throws Exception {
    assertTrue(new IndexStats(searcher).hasRankFields());
    assertFalse(new IndexStats(old).hasRankFields());
    for (String text : TEXTS) {
      assertSame(searcher, queries.build(request(text), Set.of(), IndexStats.withoutPlanning(searcher), false),
          queries.build(request(text), Set.of(), searcher, false), text);
      assertSame(old, queries.build(request(text), Set.of(), false),
          queries.build(request(text), Set.of(), old, false), text + " (per field)");
    }
    assertTrue(found >= 14, "most queries find pages: " + found);
  }

  private static void assertSame(IndexSearcher s, Query full, Query planned, String text) throws Exception {
    assertEquals(s.count(full), s.count(planned), text);
    found += s.count(full) > 0 ? 1 : 0;
    TopDocs a = s.search(full, 20);
    TopDocs b = s.search(planned, 20);
    assertEquals(a.scoreDocs.length, b.scoreDocs.length, text);
    for (int i = 0; i < a.scoreDocs.length; i++) {
      assertEquals(a.scoreDocs[i].score, b.scoreDocs[i].score, a.scoreDocs[i].score * 1e-5, text + " #" + i);
      if (i == 0 || a.scoreDocs[i].score != a.scoreDocs[i - 1].score) {
        assertEquals(a.scoreDocs[i].doc, b.scoreDocs[i].doc, text + " #" + i);
      }
    }
  }

  @Test
  void leavesOutTheReadingOfAWordSpelledOneWayAndTheTenantFilterOfASingleTenantIndex() {
    for (IndexSearcher s : List.of(searcher, old)) {
      String planned = queries.build(request("保育園"), Set.of(), s, false).toString();
      assertFalse(planned.contains("_reading:"), planned);
      assertFalse(planned.contains("tenant:"), planned);
    }
    String unplanned = queries.build(request("保育園"), Set.of(), IndexStats.withoutPlanning(searcher), false).toString();
    assertTrue(unplanned.contains("rank_reading:ホイクエン"), unplanned);
    assertTrue(unplanned.contains("tenant:"), unplanned);
    String full = queries.build(request("保育園"), Set.of(), false).toString();
    assertTrue(full.contains("title_reading:ホイクエン"), full);
    assertTrue(full.contains("tenant:"), full);
  }

  @Test
  void keepsTheReadingOfAWordPagesSpellDifferently() {
    String planned = queries.build(request("子供"), Set.of(), searcher, false).toString();
    assertTrue(planned.contains("rank_reading:コドモ"), planned);
    String perField = queries.build(request("子供"), Set.of(), old, false).toString();
    assertTrue(perField.contains("body_reading:コドモ"), perField);
  }
}

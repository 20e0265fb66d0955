package jp.tsunagu.search.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationalIndexTest {

  /** Periodic reopens an hour apart: only an explicit request can make a write visible in the test's time. */
  private static final double AN_HOUR = 3600;

  @TempDir
  Path dir;

  @Test
  void aRequestedWriteBecomesSearchableWithoutThePeriodicReopen() throws Exception {
    try (GenerationalIndex<org.apache.lucene.search.IndexSearcher> index =
             new GenerationalIndex<>(dir, new StandardAnalyzer(), new SearcherFactory(), AN_HOUR)) {
      index.update(new Term("id", "a"), () -> doc("a"));
      WriteToken last = index.update(new Term("id", "b"), () -> doc("b"));
      index.requestSearchable(last);

      long deadline = System.nanoTime() + 30_000_000_000L;
      while (count(index, "b") == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(1, count(index, "b"), "the requested write is searchable");
      assertEquals(1, count(index, "a"), "and so is every write before it");
      // the reopen thread swaps the searcher in before it records the generation it reached, so the token may
      // lag the visible write by a moment: a wait, not a zero timeout
      assertTrue(index.awaitSearchable(last, java.time.Duration.ofSeconds(30)));
    }
  }

  @Test
  void aRequestForAWriteAlreadySearchableReturnsAtOnce() throws Exception {
    try (GenerationalIndex<org.apache.lucene.search.IndexSearcher> index =
             new GenerationalIndex<>(dir, new StandardAnalyzer(), new SearcherFactory(), AN_HOUR)) {
      WriteToken token = index.update(new Term("id", "a"), () -> doc("a"));
      assertTrue(index.awaitSearchable(token, java.time.Duration.ofSeconds(30)));
      index.requestSearchable(token);
      assertEquals(1, count(index, "a"));
    }
  }

  private static int count(GenerationalIndex<org.apache.lucene.search.IndexSearcher> index, String id) {
    return index.search(searcher -> searcher.count(new TermQuery(new Term("id", id))));
  }

  private static List<IndexableField> doc(String id) {
    return List.of(new StringField("id", id, Field.Store.YES));
  }
}

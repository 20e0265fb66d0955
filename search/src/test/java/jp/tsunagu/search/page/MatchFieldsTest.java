package jp.tsunagu.search.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.corpus.MunicipalCorpus;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.SmallFloat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The combined scoring fields, which a search also matches on, hold for every page exactly the
 * terms of its title, summary and body (and exactly their readings): the distinct terms a page
 * gives them are the same postings as every token would be, with the weighted frequencies. The
 * matching-only fields of the earlier layout are no longer written. Checked term by term and page
 * by page on an index written by {@link PageIndex}, live path and rebuild.
 */
class MatchFieldsTest {

  @TempDir Path dir;

  @Test
  void matchFieldsAreTheUnionOfTheTextFields() throws Exception {
    List<Page> pages = new java.util.ArrayList<>(new MunicipalCorpus(7L, 600).generate(150).stream()
        .map(MunicipalCorpus.Generated::page).toList());
    // Repeats within one text and across the three, kana and kanji spellings of one reading, an
    // unknown word (its reading is its own text in katakana), full-width letters.
    pages.add(new Page(Pages.CHIYODA, "repeats", "https://example.jp/repeats", "子供 子ども こども 子供",
        "こどもの医療費、子供の医療費。ＡＢＣ abc", "子供子供子供。ぴよぴよ教室とピヨピヨ教室、ぴよぴよ教室。ごみ ゴミ ごみ",
        "子育て", "総務課", List.of(), List.of(), Set.of(), Language.JA, Pages.NOW, null, false));
    try (AnalysisRegistry analysis = new AnalysisRegistry()) {
      try (PageIndex index = PageIndex.open(dir.resolve("live"), analysis)) {
        for (Page p : pages) {
          index.upsert(p);
        }
        index.commit(1);
      }
      try (PageIndex index = PageIndex.open(dir.resolve("rebuilt"), analysis)) {
        index.rebuild(pages.stream(), 1, new jp.tsunagu.search.index.RebuildProgress(pages.size()), 2);
      }
    }
    for (String root : List.of("live/gen-000001", "rebuilt/gen-000002")) {
      try (FSDirectory directory = FSDirectory.open(dir.resolve(root));
           DirectoryReader reader = DirectoryReader.open(directory)) {
        assertEquals(pages.size(), reader.numDocs());
        int terms = 0;
        int readings = 0;
        for (LeafReaderContext leaf : reader.leaves()) {
          terms += assertUnion(leaf.reader(), PageFields.RANK, PageFields.TITLE, PageFields.SUMMARY, PageFields.BODY);
          readings += assertUnion(leaf.reader(), PageFields.RANK_READING,
              PageFields.TITLE_READING, PageFields.SUMMARY_READING, PageFields.BODY_READING);
          assertNull(leaf.reader().terms(PageFields.MATCH), "no matching-only field");
          assertNull(leaf.reader().terms(PageFields.MATCH_READING), "no matching-only reading field");
          assertWeighted(leaf.reader(), PageFields.RANK, PageFields.TITLE, PageFields.SUMMARY, PageFields.BODY);
          assertWeighted(leaf.reader(), PageFields.RANK_READING,
              PageFields.TITLE_READING, PageFields.SUMMARY_READING, PageFields.BODY_READING);
        }
        // Over the whole index: the live path may flush a segment of one short page (the last one)
        // at its commit, which holds few terms.
        assertTrue(terms > 100, "the index holds text");
        assertTrue(readings > 100, "the index holds readings");
      }
    }
  }

  /** Checks one segment; returns how many terms its text fields hold. */
  private static int assertUnion(LeafReader reader, String match, String... fields) throws IOException {
    Map<BytesRef, Set<Integer>> expected = new TreeMap<>();
    for (String field : fields) {
      postings(reader, field).forEach((term, docs) -> expected.computeIfAbsent(term, t -> new TreeSet<>()).addAll(docs));
    }
    Map<BytesRef, Set<Integer>> actual = postings(reader, match);
    assertEquals(expected.keySet(), actual.keySet(), match + ": terms");
    for (Map.Entry<BytesRef, Set<Integer>> e : expected.entrySet()) {
      assertEquals(e.getValue(), actual.get(e.getKey()), match + ":" + e.getKey().utf8ToString());
    }
    return expected.size();
  }

  /**
   * The combined scoring field holds every term of the fields, in every page that has it, with
   * the weighted sum of its frequencies there ({@link PageFields#RANK_WEIGHTS}), and a page's
   * length in it is the weighted sum of the fields' lengths.
   */
  private static void assertWeighted(LeafReader reader, String rank, String... fields) throws IOException {
    Map<BytesRef, Map<Integer, Integer>> expected = new TreeMap<>();
    for (int f = 0; f < fields.length; f++) {
      int weight = PageFields.RANK_WEIGHTS[f];
      frequencies(reader, fields[f]).forEach((term, docs) -> docs.forEach((doc, freq) ->
          expected.computeIfAbsent(term, t -> new TreeMap<>()).merge(doc, weight * freq, Integer::sum)));
    }
    Map<BytesRef, Map<Integer, Integer>> actual = frequencies(reader, rank);
    assertEquals(expected.keySet(), actual.keySet(), rank + ": terms");
    Map<Integer, Long> lengths = new TreeMap<>();
    for (Map.Entry<BytesRef, Map<Integer, Integer>> e : expected.entrySet()) {
      assertEquals(e.getValue(), actual.get(e.getKey()), rank + ":" + e.getKey().utf8ToString());
      e.getValue().forEach((doc, freq) -> lengths.merge(doc, (long) freq, Long::sum));
    }
    // The norm encodes the length (the sum of the frequencies) as one byte, as BM25 reads it.
    NumericDocValues norms = reader.getNormValues(rank);
    for (Map.Entry<Integer, Long> e : lengths.entrySet()) {
      assertTrue(norms.advanceExact(e.getKey()));
      assertEquals(SmallFloat.intToByte4((int) (long) e.getValue()), (byte) norms.longValue(), rank + " norm of " + e.getKey());
    }
  }

  private static Map<BytesRef, Map<Integer, Integer>> frequencies(LeafReader reader, String field) throws IOException {
    Map<BytesRef, Map<Integer, Integer>> out = new TreeMap<>();
    Terms terms = reader.terms(field);
    if (terms == null) {
      return out;
    }
    TermsEnum te = terms.iterator();
    PostingsEnum pe = null;
    for (BytesRef term; (term = te.next()) != null; ) {
      Map<Integer, Integer> docs = new TreeMap<>();
      pe = te.postings(pe, PostingsEnum.FREQS);
      for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
        docs.put(d, pe.freq());
      }
      out.put(BytesRef.deepCopyOf(term), docs);
    }
    return out;
  }

  private static Map<BytesRef, Set<Integer>> postings(LeafReader reader, String field) throws IOException {
    Map<BytesRef, Set<Integer>> out = new TreeMap<>();
    frequencies(reader, field).forEach((term, docs) -> out.put(term, new TreeSet<>(docs.keySet())));
    return out;
  }
}

package jp.tsunagu.search.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.corpus.MunicipalCorpus;
import jp.tsunagu.search.index.FacetedSearcher;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Japanese page's body is stored in UTF-16 ({@link StoredBody}); pages written before keep it
 * as a UTF-8 string. Hits, snippets (highlighted, and the start of the body where a page has no
 * summary and no match) are the same from either, and from an index holding both.
 */
class StoredBodyTest {

  @TempDir static Path dir;
  static AnalysisRegistry analysis;
  static Directory current;
  static Directory old;
  static Directory mixed;

  @BeforeAll
  static void build() throws Exception {
    analysis = new AnalysisRegistry();
    List<Page> pages = new ArrayList<>();
    List<MunicipalCorpus.Generated> corpus = new MunicipalCorpus(41L, 200).generate(600);
    for (int i = 0; i < corpus.size(); i++) {
      Page p = corpus.get(i).page();
      if (i % 3 == 0) {
        // no summary: a hit without a match in its body shows the start of the body; and text outside the BMP
        p = new Page(p.tenant(), p.id(), p.url(), p.title(), "", p.body() + " 𠮷野家の前で", p.category(),
            p.department(), p.tags(), p.districts(), p.lifeStages(), p.language(), p.published(), p.updated(), false);
      }
      pages.add(p);
    }
    for (int i = 0; i < 10; i++) {
      pages.add(Pages.en(MunicipalCorpus.TENANT, "en" + i, "Nursery application " + i, "How to apply for a nursery " + i));
    }
    PageDocuments documents = new PageDocuments(analysis);
    current = write("current", pages, documents, i -> false);
    old = write("old", pages, documents, i -> true);
    mixed = write("mixed", pages, documents, i -> i % 2 == 0);
  }

  interface Layout {
    boolean old(int i);
  }

  private static Directory write(String name, List<Page> pages, PageDocuments documents, Layout layout)
      throws Exception {
    Directory directory = FSDirectory.open(dir.resolve(name));
    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analysis.english()))) {
      for (int i = 0; i < pages.size(); i++) {
        Document doc = documents.toDocument(pages.get(i));
        writer.addDocument(layout.old(i) ? withBodyAsString(doc, pages.get(i)) : doc);
        if (i % 200 == 199) {
          writer.commit();
        }
      }
    }
    return directory;
  }

  /** The page's document as it was written before: the body stored as a string. */
  static Document withBodyAsString(Document doc, Page page) {
    Document before = new Document();
    for (IndexableField f : doc.getFields()) {
      boolean storedBody = f.name().equals(PageFields.BODY) && f.binaryValue() != null;
      if (storedBody) {
        before.add(new StoredField(PageFields.BODY, page.body()));
      } else {
        before.add(f);
      }
    }
    return before;
  }

  @AfterAll
  static void close() throws Exception {
    for (Directory d : List.of(current, old, mixed)) {
      d.close();
    }
    analysis.close();
  }

  @Test
  void aJapaneseBodyIsStoredInUtf16AndReadBackWhole() throws Exception {
    Page page = Pages.ja(Pages.CHIYODA, "p1", "保育園の申し込み", "𠮷野家の前の保育園です。申し込みは4月から。", "子育て");
    Document doc = new PageDocuments(analysis).toDocument(page);
    IndexableField body = doc.getField(PageFields.BODY);
    assertNotNull(body.binaryValue(), "binary");
    assertNull(body.stringValue());
    assertEquals(page.body().length() * 2, body.binaryValue().length);
    assertEquals(page.body(), StoredBody.of(doc));
    assertEquals(page.body(), StoredBody.of(withBodyAsString(doc, page)));
    assertNull(StoredBody.of(new Document()));
  }

  @Test
  void anUnpairedSurrogateIsStoredAsTheUtf8StringStoredIt() throws Exception {
    for (String body : List.of("保育園\uD842です", "末尾\uD842", "\uDFB7先頭", "逆\uDFB7\uD842順", "𠮷野家\uD842\uD842𠮷")) {
      Page page = Pages.ja(Pages.CHIYODA, "p2", "保育園", body, "子育て");
      Document doc = new PageDocuments(analysis).toDocument(page);
      // a UTF-8 stored field replaces each unpaired surrogate with U+FFFD (Lucene's UnicodeUtil)
      String asUtf8 = new org.apache.lucene.util.BytesRef(body).utf8ToString();
      assertEquals(asUtf8, StoredBody.of(doc), body);
      assertTrue(StoredBody.of(doc).chars().filter(c -> c == 0xFFFD).count() > 0, body);
    }
    String paired = "𠮷野家の前で";
    assertTrue(paired == StoredBody.wellFormed(paired), "a well-formed text is not copied");
  }

  @Test
  void hitsAndSnippetsAreTheSameFromEitherForm() throws Exception {
    PageSearch search = new PageSearch(analysis, new BestBets());
    int compared = 0;
    int withoutSummary = 0;
    try (DirectoryReader currentReader = DirectoryReader.open(current);
        DirectoryReader oldReader = DirectoryReader.open(old);
        DirectoryReader mixedReader = DirectoryReader.open(mixed)) {
      for (String text : List.of("保育園 申し込み", "ごみ 収集", "防災訓練", "図書館 OR 花火大会", "nursery", "")) {
        for (boolean highlight : new boolean[] {true, false}) {
          PageQuery request = PageQuery.builder(MunicipalCorpus.TENANT).text(text).highlight(highlight).page(0, 30)
              .now(MunicipalCorpus.EPOCH).build();
          PageResults expected = search.run(searcher(oldReader), request);
          for (DirectoryReader reader : List.of(currentReader, mixedReader)) {
            assertEquals(expected.hits(), search.run(searcher(reader), request).hits(),
                text + " highlight " + highlight + " on " + reader.directory());
          }
          compared += expected.hits().size();
          withoutSummary += (int) expected.hits().stream().filter(h -> h.summary().isEmpty()).count();
        }
      }
    }
    assertTrue(compared > 200, compared + " hits compared");
    assertTrue(withoutSummary > 20, withoutSummary + " hits without a summary");
  }

  static FacetedSearcher searcher(DirectoryReader reader) throws Exception {
    return (FacetedSearcher) FacetedSearcher.factory(null).newSearcher(reader, null);
  }
}

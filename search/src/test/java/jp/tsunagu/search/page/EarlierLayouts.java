package jp.tsunagu.search.page;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.util.BytesRef;

/**
 * A page's document as earlier versions wrote it, made from the document this version writes: for
 * the tests that check an index of an earlier layout (or a mix of layouts) still answers right.
 */
final class EarlierLayouts {

  private EarlierLayouts() {}

  /** The page's document as it was written before the combined scoring fields: the matching-only fields instead. */
  static Document asBeforeRankFields(Document doc) {
    addMatchFields(doc);
    doc.removeFields(PageFields.RANK);
    doc.removeFields(PageFields.RANK_READING);
    doc.removeFields(PageFields.FORMAT);
    doc.add(new StringField(PageFields.FORMAT, PageFields.FORMAT_MATCH, Field.Store.NO));
    return doc;
  }

  /**
   * The page's document as it was written before pages were matched on the combined scoring
   * fields: those fields and the matching-only fields, each distinct term in both.
   */
  static Document asBeforeMatchInRank(Document doc) {
    addMatchFields(doc);
    doc.removeFields(PageFields.FORMAT);
    doc.add(new StringField(PageFields.FORMAT, PageFields.FORMAT_MATCH, Field.Store.NO));
    doc.add(new StringField(PageFields.FORMAT, PageFields.FORMAT_RANK, Field.Store.NO));
    return doc;
  }

  /**
   * Adds the matching-only fields {@link PageFields#MATCH} and {@link PageFields#MATCH_READING} of
   * the earlier layouts to a Japanese page's document: each distinct term once, documents only,
   * the terms read from its combined scoring fields (the index writer resets their streams before
   * it reads them again).
   */
  private static void addMatchFields(Document doc) {
    for (String[] pair : new String[][] {{PageFields.RANK, PageFields.MATCH}, {PageFields.RANK_READING, PageFields.MATCH_READING}}) {
      Field rank = (Field) doc.getField(pair[0]);
      if (rank == null) {
        continue; // an English page: its matching field is still written
      }
      List<BytesRef> terms = new ArrayList<>();
      try (TokenStream ts = rank.tokenStreamValue()) {
        var term = ts.addAttribute(TermToBytesRefAttribute.class);
        ts.reset();
        while (ts.incrementToken()) {
          terms.add(BytesRef.deepCopyOf(term.getBytesRef()));
        }
        ts.end();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      doc.add(new Field(pair[1], new Replayed(terms), PageFields.MATCH_ONLY));
    }
  }

  /** Terms given as they are, one position each. */
  private static final class Replayed extends TokenStream {
    private final List<BytesRef> terms;
    private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
    private int next;

    Replayed(List<BytesRef> terms) {
      this.terms = terms;
    }

    @Override
    public boolean incrementToken() {
      if (next == terms.size()) {
        return false;
      }
      clearAttributes();
      term.setBytesRef(terms.get(next++));
      return true;
    }

    @Override
    public void reset() throws IOException {
      super.reset();
      next = 0;
    }
  }
}

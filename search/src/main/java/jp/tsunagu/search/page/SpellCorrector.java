package jp.tsunagu.search.page;

import jp.tsunagu.search.index.FacetedSearcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.spell.DirectSpellChecker;
import org.apache.lucene.search.spell.SuggestMode;
import org.apache.lucene.search.spell.SuggestWord;

/**
 * "Did you mean": every query word that no title or body contains is replaced by the closest
 * word the index does contain (Damerau–Levenshtein, at most two edits, {@link
 * DirectSpellChecker}), keeping the rest of the typed text as it was.
 */
final class SpellCorrector {

  private final AnalysisRegistry analysis;
  private final DirectSpellChecker checker;

  SpellCorrector(AnalysisRegistry analysis) {
    this.analysis = analysis;
    this.checker = new DirectSpellChecker();
    checker.setMinQueryLength(2);
    checker.setMinPrefix(0);
    checker.setAccuracy(0.6f);
  }

  Optional<String> suggest(FacetedSearcher searcher, String typed, Set<String> tenants) {
    String tenant = tenants.iterator().next();
    IndexReader reader = searcher.getIndexReader();
    StringBuilder corrected = new StringBuilder();
    int copied = 0;
    boolean changed = false;
    try (TokenStream ts = analysis.forTenant(tenant).indexSurface().tokenStream(PageFields.BODY, typed)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        String word = term.toString();
        if (reader.docFreq(new Term(PageFields.BODY, word)) > 0 || reader.docFreq(new Term(PageFields.TITLE, word)) > 0) {
          continue;
        }
        SuggestWord[] best = checker.suggestSimilar(new Term(PageFields.BODY, word), 1, reader,
            SuggestMode.SUGGEST_WHEN_NOT_IN_INDEX);
        if (best.length == 0) {
          continue;
        }
        corrected.append(typed, copied, offset.startOffset()).append(best[0].string);
        copied = offset.endOffset();
        changed = true;
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!changed) {
      return Optional.empty();
    }
    corrected.append(typed, copied, typed.length());
    return Optional.of(corrected.toString());
  }
}

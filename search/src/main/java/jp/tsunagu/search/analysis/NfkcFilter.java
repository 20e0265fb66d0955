package jp.tsunagu.search.analysis;

import java.io.IOException;
import java.text.Normalizer;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Unicode NFKC on each term (①→1, ㈱→(株), ﾃﾞ→デ). Applied after tokenisation so offsets keep
 * pointing into the original text; width folding before tokenisation is done by
 * {@code CJKWidthCharFilter}.
 */
public final class NfkcFilter extends TokenFilter {

  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

  public NfkcFilter(TokenStream input) {
    super(input);
  }

  @Override
  public boolean incrementToken() throws IOException {
    if (!input.incrementToken()) {
      return false;
    }
    if (!Normalizer.isNormalized(term, Normalizer.Form.NFKC)) {
      String normalized = Normalizer.normalize(term, Normalizer.Form.NFKC);
      term.setEmpty().append(normalized);
    }
    return true;
  }
}

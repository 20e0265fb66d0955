package jp.tsunagu.search.analysis;

import java.io.IOException;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ja.tokenattributes.ReadingAttribute;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Replaces each term with its katakana reading ({@link Readings#of}), so that こども, 子ども and
 * 子供 all become コドモ. Tokens the dictionary does not know keep their text, in katakana.
 */
public final class KatakanaReadingFilter extends TokenFilter {

  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final ReadingAttribute reading = addAttribute(ReadingAttribute.class);

  public KatakanaReadingFilter(TokenStream input) {
    super(input);
  }

  @Override
  public boolean incrementToken() throws IOException {
    if (!input.incrementToken()) {
      return false;
    }
    String value = Readings.of(term, reading.getReading());
    term.setEmpty().append(value);
    return true;
  }
}

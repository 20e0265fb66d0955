package jp.tsunagu.search.analysis;

import java.io.Reader;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.cjk.CJKWidthCharFilter;
import org.apache.lucene.analysis.ja.JapaneseAnalyzer;
import org.apache.lucene.analysis.ja.JapaneseBaseFormFilter;
import org.apache.lucene.analysis.ja.JapaneseIterationMarkCharFilter;
import org.apache.lucene.analysis.ja.JapaneseKatakanaStemFilter;
import org.apache.lucene.analysis.ja.JapanesePartOfSpeechStopFilter;
import org.apache.lucene.analysis.ja.JapaneseTokenizer;
import org.apache.lucene.analysis.ja.dict.UserDictionary;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;

/**
 * The Japanese analysis chain used for page text, facility names and queries.
 *
 * <pre>
 *   CJKWidthCharFilter            full-width ＡＢＣ → ABC, half-width ｶﾀｶﾅ → カタカナ
 *   JapaneseIterationMarkCharFilter 々 ゝ ヽ expanded
 *   JapaneseTokenizer (search mode, tenant user dictionary, compounds split)
 *   JapaneseBaseFormFilter        inflected verbs and adjectives to their base form
 *   JapanesePartOfSpeechStopFilter particles, auxiliaries, symbols dropped
 *   NfkcFilter                    remaining compatibility characters
 *   JapaneseKatakanaStemFilter    trailing ー of long katakana words (センター = センタ)
 *   LowerCaseFilter
 *   StopFilter                    Japanese stop words
 *   SynonymGraphFilter            query side only, tenant synonyms
 *   KatakanaReadingFilter         reading output only: every term to its katakana reading
 * </pre>
 *
 * <p>The surface output feeds the {@code title}, {@code summary} and {@code body} fields; the
 * reading output feeds their {@code _reading} twins, where こども, 子ども and 子供 meet. Instances
 * are thread-safe, like every Lucene analyzer.
 */
public final class JapaneseTextAnalyzer extends Analyzer {

  /** Which form of each token the analyzer emits. */
  public enum Output {
    SURFACE,
    READING
  }

  private final UserDictionary userDictionary;
  private final SynonymMap synonyms;
  private final Output output;
  private final CharArraySet stopWords = JapaneseAnalyzer.getDefaultStopSet();

  /**
   * @param userDictionary the tenant's dictionary of local words, or {@code null}
   * @param synonyms the tenant's query-time synonyms, or {@code null} for index-time analysis
   * @param output surface forms or katakana readings
   */
  public JapaneseTextAnalyzer(UserDictionary userDictionary, SynonymMap synonyms, Output output) {
    this.userDictionary = userDictionary;
    this.synonyms = synonyms;
    this.output = output;
  }

  @Override
  protected Reader initReader(String fieldName, Reader reader) {
    Reader r = reader;
    r = new CJKWidthCharFilter(r);
    r = new JapaneseIterationMarkCharFilter(r);
    return r;
  }

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    Tokenizer tokenizer = new JapaneseTokenizer(userDictionary, true, true, JapaneseTokenizer.Mode.SEARCH);
    TokenStream s = tokenizer;
    s = new JapaneseBaseFormFilter(s);
    s = new JapanesePartOfSpeechStopFilter(s, JapaneseAnalyzer.getDefaultStopTags());
    s = new NfkcFilter(s);
    s = new JapaneseKatakanaStemFilter(s);
    s = new LowerCaseFilter(s);
    s = new StopFilter(s, stopWords);
    if (synonyms != null && synonyms.fst != null) {
      s = new SynonymGraphFilter(s, synonyms, true);
    }
    if (output == Output.READING) {
      s = new KatakanaReadingFilter(s);
    }
    return new TokenStreamComponents(tokenizer, s);
  }

  @Override
  protected TokenStream normalize(String fieldName, TokenStream in) {
    TokenStream s = in;
    s = new NfkcFilter(s);
    s = new LowerCaseFilter(s);
    return s;
  }
}

package jp.tsunagu.search.analysis;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
import org.apache.lucene.util.AttributeSource;

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

  /** The most texts a caching analyzer keeps the tokens of; beyond them it starts over. */
  static final int MAX_CACHED_TEXTS = 512;

  private final UserDictionary userDictionary;
  private final SynonymMap synonyms;
  private final Output output;
  private final CharArraySet stopWords = JapaneseAnalyzer.getDefaultStopSet();
  /** For a caching analyzer ({@link #caching}): the chain that analyses a text not seen yet, and the tokens of the texts seen. */
  private final JapaneseTextAnalyzer uncached;
  private final Map<String, Analyzed> cache;

  /**
   * @param userDictionary the tenant's dictionary of local words, or {@code null}
   * @param synonyms the tenant's query-time synonyms, or {@code null} for index-time analysis
   * @param output surface forms or katakana readings
   */
  public JapaneseTextAnalyzer(UserDictionary userDictionary, SynonymMap synonyms, Output output) {
    this(userDictionary, synonyms, output, null);
  }

  private JapaneseTextAnalyzer(UserDictionary userDictionary, SynonymMap synonyms, Output output,
      JapaneseTextAnalyzer uncached) {
    this.userDictionary = userDictionary;
    this.synonyms = synonyms;
    this.output = output;
    this.uncached = uncached;
    this.cache = uncached == null ? null : new ConcurrentHashMap<>();
  }

  /**
   * The same chain, keeping the tokens of the last {@value #MAX_CACHED_TEXTS} texts it analysed
   * (every attribute of every token, and the end state) and giving them again for the same text
   * without running Kuromoji: for query words, which a search analyses several times (the full
   * query, the matching query, the title bonus) and residents type again and again. The chain does
   * not depend on the field name, so neither does the cache. A tenant's analysis is replaced
   * whole when its dictionary or synonyms change ({@code AnalysisRegistry.configure}), and its
   * cache with it.
   */
  public static JapaneseTextAnalyzer caching(UserDictionary userDictionary, SynonymMap synonyms, Output output) {
    return new JapaneseTextAnalyzer(userDictionary, synonyms, output,
        new JapaneseTextAnalyzer(userDictionary, synonyms, output, null));
  }

  /** How many texts the cache holds now; 0 for an analyzer that does not cache. */
  int cachedTexts() {
    return cache == null ? 0 : cache.size();
  }

  @Override
  protected Reader initReader(String fieldName, Reader reader) {
    if (uncached != null) {
      // the chain that analyses a new text applies the character filters itself
      return reader;
    }
    Reader r = reader;
    r = new CJKWidthCharFilter(r);
    r = new JapaneseIterationMarkCharFilter(r);
    return r;
  }

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    if (uncached != null) {
      return new TokenStreamComponents(new Replay(fieldName));
    }
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
  public void close() {
    super.close();
    if (uncached != null) {
      uncached.close();
      cache.clear();
    }
  }

  /** The tokens of a text, as the uncached chain gave them. */
  private record Analyzed(AttributeSource.State[] tokens, AttributeSource.State end) {}

  private Analyzed analyzed(String fieldName, String text) throws IOException {
    Analyzed known = cache.get(text);
    if (known != null) {
      return known;
    }
    List<AttributeSource.State> tokens = new ArrayList<>();
    AttributeSource.State end;
    try (TokenStream ts = uncached.tokenStream(fieldName, text)) {
      ts.reset();
      while (ts.incrementToken()) {
        tokens.add(ts.captureState());
      }
      ts.end();
      end = ts.captureState();
    }
    Analyzed fresh = new Analyzed(tokens.toArray(new AttributeSource.State[0]), end);
    if (cache.size() >= MAX_CACHED_TEXTS) {
      cache.clear();
    }
    cache.put(text, fresh);
    return fresh;
  }

  /**
   * The tokenizer of a caching analyzer: reads the whole text, and gives the tokens the uncached
   * chain gives for it, from the cache where it has them. It carries the same attributes as that
   * chain, so a captured token is restored whole.
   */
  private final class Replay extends Tokenizer {
    private final String fieldName;
    private Analyzed current;
    private int next;

    Replay(String fieldName) {
      this.fieldName = fieldName;
      try (TokenStream probe = uncached.tokenStream(fieldName, "")) {
        for (var it = probe.getAttributeImplsIterator(); it.hasNext(); ) {
          addAttributeImpl(it.next().clone());
        }
        probe.reset();
        while (probe.incrementToken()) {
          // an empty text has no tokens
        }
        probe.end();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void reset() throws IOException {
      super.reset();
      StringBuilder text = new StringBuilder();
      char[] buffer = new char[256];
      for (int n = input.read(buffer); n >= 0; n = input.read(buffer)) {
        text.append(buffer, 0, n);
      }
      current = analyzed(fieldName, text.toString());
      next = 0;
    }

    @Override
    public boolean incrementToken() {
      if (next >= current.tokens().length) {
        return false;
      }
      clearAttributes();
      restoreState(current.tokens()[next++]);
      return true;
    }

    @Override
    public void end() throws IOException {
      super.end();
      restoreState(current.end());
    }

    @Override
    public void close() throws IOException {
      super.close();
      current = null;
    }
  }

  @Override
  protected TokenStream normalize(String fieldName, TokenStream in) {
    TokenStream s = in;
    s = new NfkcFilter(s);
    s = new LowerCaseFilter(s);
    return s;
  }
}

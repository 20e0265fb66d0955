package jp.tsunagu.search.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * Analysis of English pages ({@code title_en}, {@code summary_en}, {@code body_en}).
 *
 * <pre>
 *   StandardTokenizer
 *   EnglishPossessiveFilter  city's → city
 *   LowerCaseFilter
 *   ASCIIFoldingFilter       café → cafe
 *   StopFilter               English stop words
 *   PorterStemFilter         libraries → librari
 * </pre>
 */
public final class EnglishTextAnalyzer extends Analyzer {

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    Tokenizer tokenizer = new StandardTokenizer();
    TokenStream s = tokenizer;
    s = new EnglishPossessiveFilter(s);
    s = new LowerCaseFilter(s);
    s = new ASCIIFoldingFilter(s);
    s = new StopFilter(s, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
    s = new PorterStemFilter(s);
    return new TokenStreamComponents(tokenizer, s);
  }

  @Override
  protected TokenStream normalize(String fieldName, TokenStream in) {
    TokenStream s = in;
    s = new LowerCaseFilter(s);
    s = new ASCIIFoldingFilter(s);
    return s;
  }
}

package jp.tsunagu.search.analysis;

import java.io.IOException;
import java.io.StringReader;
import java.text.ParseException;
import jp.tsunagu.search.InvalidSearchRequestException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.ja.dict.UserDictionary;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.util.IOUtils;

/**
 * The analyzers of one municipality: its user dictionary (local place names, facility names) is
 * used at index and query time; its synonyms only at query time, so editing synonyms needs no
 * reindexing. Editing the user dictionary changes tokenisation and needs the tenant's pages
 * reindexed (see {@code PageIndex#rebuild}).
 */
public final class TenantAnalysis implements AutoCloseable {

  private final Analyzer indexSurface;
  private final Analyzer querySurface;
  private final Analyzer queryReading;

  private TenantAnalysis(UserDictionary dictionary, SynonymMap synonyms) {
    this.indexSurface = new JapaneseTextAnalyzer(dictionary, null, JapaneseTextAnalyzer.Output.SURFACE);
    // Query words are analysed several times per search and typed again and again: the query
    // analyzers keep the tokens of the texts they analysed last. Configuring a tenant replaces its
    // analysis, caches included.
    this.querySurface = JapaneseTextAnalyzer.caching(dictionary, synonyms, JapaneseTextAnalyzer.Output.SURFACE);
    this.queryReading = JapaneseTextAnalyzer.caching(dictionary, synonyms, JapaneseTextAnalyzer.Output.READING);
  }

  /** Analysis with the stock Kuromoji dictionary and no synonyms. */
  public static TenantAnalysis standard() {
    return new TenantAnalysis(null, null);
  }

  /**
   * Builds a tenant's analysis.
   *
   * @param userDictionaryCsv Kuromoji user dictionary lines ({@code 表層形,分割,読み,品詞}), e.g.
   *     {@code 大手町,大手町,オオテマチ,カスタム名詞}; empty for none
   * @param synonymRules Solr synonym rules, one per line, e.g. {@code 子ども,子供,こども} or
   *     {@code ゴミ => ごみ}; empty for none
   * @throws InvalidSearchRequestException when either text does not parse, naming the problem
   */
  public static TenantAnalysis of(String userDictionaryCsv, String synonymRules) {
    UserDictionary dictionary = parseDictionary(userDictionaryCsv);
    Analyzer synonymParsing = new JapaneseTextAnalyzer(dictionary, null, JapaneseTextAnalyzer.Output.SURFACE);
    try {
      return new TenantAnalysis(dictionary, parseSynonyms(synonymRules, synonymParsing));
    } finally {
      synonymParsing.close();
    }
  }

  private static UserDictionary parseDictionary(String csv) {
    if (csv == null || csv.isBlank()) {
      return null;
    }
    try {
      return UserDictionary.open(new StringReader(csv));
    } catch (IOException | RuntimeException e) {
      throw new InvalidSearchRequestException(
          InvalidSearchRequestException.Reason.BAD_ARGUMENT, "user dictionary does not parse: " + e.getMessage());
    }
  }

  private static SynonymMap parseSynonyms(String rules, Analyzer analyzer) {
    if (rules == null || rules.isBlank()) {
      return null;
    }
    try {
      SolrSynonymParser parser = new SolrSynonymParser(true, true, analyzer);
      parser.parse(new StringReader(rules));
      return parser.build();
    } catch (IOException | ParseException | RuntimeException e) {
      throw new InvalidSearchRequestException(
          InvalidSearchRequestException.Reason.BAD_ARGUMENT, "synonym rules do not parse: " + e.getMessage());
    }
  }

  /** Surface analysis for indexing (no synonyms). */
  public Analyzer indexSurface() {
    return indexSurface;
  }

  /** Surface analysis of queries, with synonyms. */
  public Analyzer querySurface() {
    return querySurface;
  }

  /** Reading analysis of queries, with synonyms. */
  public Analyzer queryReading() {
    return queryReading;
  }

  @Override
  public void close() {
    IOUtils.closeWhileHandlingException(indexSurface, querySurface, queryReading);
  }
}

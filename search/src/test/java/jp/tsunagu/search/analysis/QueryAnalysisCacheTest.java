package jp.tsunagu.search.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ja.dict.UserDictionary;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.junit.jupiter.api.Test;

/**
 * The query analyzers keep the tokens of the texts they analysed: for every text they give every
 * attribute of every token (terms, offsets, positions, position lengths of synonym graphs, types,
 * readings) and the end state exactly as the chain without the cache, the first time and from the
 * cache; the cache is bounded, and a tenant's new dictionary or synonyms are used at once.
 */
class QueryAnalysisCacheTest {

  static final List<String> TEXTS = List.of("保育園", "申し込み", "ごみ", "ゴミ", "ｿﾀﾞｲｺﾞﾐ", "ＡＢＣ", "子ども", "こどもの医療費",
      "神田須田町", "ちよだプラザ", "時々", "マイナンバーカード", "乳幼児 健診 日程", "子育て", "の", "。", "", "Nursery 2025",
      "介護保険", "避難所", "ごみ 収集日 年末年始");

  static final String DICTIONARY = "神田須田町,神田須田町,カンダスダチョウ,カスタム名詞\n"
      + "ちよだプラザ,ちよだプラザ,チヨダプラザ,カスタム名詞\n";
  static final String SYNONYMS = "ごみ,ゴミ,塵芥\n子育て,育児\n保育園,保育所\n";

  /** Every attribute of every token, and of the end state. */
  static List<String> everything(Analyzer analyzer, String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream("title", text)) {
      ts.reset();
      while (ts.incrementToken()) {
        out.add(ts.reflectAsString(true));
      }
      ts.end();
      out.add("end " + ts.reflectAsString(true));
    }
    return out;
  }

  @Test
  void theCacheGivesWhatTheChainGives() throws Exception {
    UserDictionary dictionary = UserDictionary.open(new StringReader(DICTIONARY));
    SynonymMap synonyms;
    try (Analyzer parsing = new JapaneseTextAnalyzer(dictionary, null, JapaneseTextAnalyzer.Output.SURFACE)) {
      SolrSynonymParser parser = new SolrSynonymParser(true, true, parsing);
      parser.parse(new StringReader(SYNONYMS));
      synonyms = parser.build();
    }
    for (JapaneseTextAnalyzer.Output output : JapaneseTextAnalyzer.Output.values()) {
      for (SynonymMap withSynonyms : new SynonymMap[] {null, synonyms}) {
        try (JapaneseTextAnalyzer plain = new JapaneseTextAnalyzer(dictionary, withSynonyms, output);
            JapaneseTextAnalyzer caching = JapaneseTextAnalyzer.caching(dictionary, withSynonyms, output)) {
          for (int round = 0; round < 3; round++) {
            for (String text : TEXTS) {
              assertEquals(everything(plain, text), everything(caching, text), output + " " + text + " round " + round);
            }
          }
          assertEquals(TEXTS.size(), caching.cachedTexts(), "each text analysed once");
          assertEquals(0, plain.cachedTexts());
        }
      }
    }
  }

  @Test
  void synonymGraphsKeepTheirPositionLengths() throws Exception {
    try (TenantAnalysis chiyoda = TenantAnalysis.of(DICTIONARY, "防災訓練,避難訓練\n")) {
      List<String> first = everything(chiyoda.querySurface(), "防災訓練 日程");
      List<String> cached = everything(chiyoda.querySurface(), "防災訓練 日程");
      assertEquals(first, cached);
      assertTrue(first.stream().anyMatch(t -> t.contains("positionLength=2")), first.toString());
    }
  }

  @Test
  void theCacheIsBounded() throws Exception {
    try (JapaneseTextAnalyzer plain = new JapaneseTextAnalyzer(null, null, JapaneseTextAnalyzer.Output.SURFACE);
        JapaneseTextAnalyzer caching = JapaneseTextAnalyzer.caching(null, null, JapaneseTextAnalyzer.Output.SURFACE)) {
      for (int i = 0; i < JapaneseTextAnalyzer.MAX_CACHED_TEXTS * 2 + 7; i++) {
        assertEquals(Tokens.of(plain, "保育園 " + i), Tokens.of(caching, "保育園 " + i));
        assertTrue(caching.cachedTexts() <= JapaneseTextAnalyzer.MAX_CACHED_TEXTS);
        assertTrue(caching.cachedTexts() > 0);
      }
      assertEquals(Tokens.of(plain, "保育園 12"), Tokens.of(caching, "保育園 12"));
    }
  }

  @Test
  void aTenantsNewSynonymsAndDictionaryApplyAtOnce() throws Exception {
    try (AnalysisRegistry registry = new AnalysisRegistry()) {
      String tenant = "131016";
      registry.configure(tenant, "", "ごみ,ゴミ,塵芥\n");
      assertTrue(Tokens.of(registry.forTenant(tenant).querySurface(), "ごみ").contains("塵芥"));
      assertTrue(Tokens.of(registry.forTenant(tenant).querySurface(), "ごみ").contains("塵芥"), "from the cache");
      registry.configure(tenant, "", "");
      assertEquals(List.of("ごみ"), Tokens.of(registry.forTenant(tenant).querySurface(), "ごみ"), "the synonyms removed");
      assertTrue(Tokens.of(registry.forTenant(tenant).queryReading(), "神田須田町").size() > 1,
          "without the dictionary the name is split");
      registry.configure(tenant, DICTIONARY, "");
      assertEquals(List.of("カンダスダチョウ"), Tokens.of(registry.forTenant(tenant).queryReading(), "神田須田町"),
          "the new dictionary");
    }
  }
}

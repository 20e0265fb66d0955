package jp.tsunagu.search.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Golden token lists of the analysis chains. A change here changes what citizens find. */
class AnalyzerGoldenTest {

  static TenantAnalysis standard;
  static TenantAnalysis chiyoda;
  static Analyzer english;

  @BeforeAll
  static void setUp() {
    standard = TenantAnalysis.standard();
    chiyoda = TenantAnalysis.of(
        "神田須田町,神田須田町,カンダスダチョウ,カスタム名詞\n"
            + "ちよだプラザ,ちよだプラザ,チヨダプラザ,カスタム名詞\n",
        "ごみ,ゴミ,塵芥\n子育て,育児\n");
    english = new EnglishTextAnalyzer();
  }

  @AfterAll
  static void tearDown() {
    standard.close();
    chiyoda.close();
    english.close();
  }

  static List<String> surface(TenantAnalysis a, String text) {
    return Tokens.of(a.indexSurface(), text);
  }

  static List<String> reading(TenantAnalysis a, String text) {
    return Tokens.of(a.queryReading(), text);
  }

  @Test
  void kodomoSpellingsShareOneReading() {
    assertEquals(List.of("コドモ"), reading(standard, "こども"));
    assertEquals(List.of("コドモ"), reading(standard, "子ども"));
    assertEquals(List.of("コドモ"), reading(standard, "子供"));
    assertEquals(List.of("コドモ"), reading(standard, "コドモ"));
  }

  @Test
  void fullWidthLatinFoldsToHalfWidthLowerCase() {
    assertEquals(List.of("abc"), surface(standard, "ＡＢＣ"));
    assertEquals(List.of("2025"), surface(standard, "２０２５"));
  }

  @Test
  void halfWidthKatakanaFoldsToFullWidth() {
    assertEquals(List.of("カタカナ"), surface(standard, "ｶﾀｶﾅ"));
    assertEquals(List.of("ワクチン"), surface(standard, "ﾜｸﾁﾝ"));
  }

  @Test
  void compoundsAreSplitAndParticlesDropped() {
    assertEquals(List.of("子育て", "支援", "センタ"), surface(standard, "子育て支援センターの"));
    assertEquals(List.of("粗大ごみ", "出す"), surface(standard, "粗大ごみを出す"));
  }

  @Test
  void userDictionaryKeepsLocalPlaceNamesWhole() {
    assertEquals(List.of("神田須田町"), surface(chiyoda, "神田須田町"));
    assertEquals(List.of("カンダスダチョウ"), reading(chiyoda, "神田須田町"));
  }

  @Test
  void withoutTheDictionaryThePlaceNameIsSplit() {
    assertEquals(3, surface(standard, "神田須田町").size(), surface(standard, "神田須田町").toString());
  }

  @Test
  void tenantSynonymsExpandAtQueryTimeOnly() {
    assertEquals(List.of("ごみ", "ゴミ", "塵芥"), Tokens.of(chiyoda.querySurface(), "ごみ").stream().sorted().toList());
    assertEquals(List.of("ごみ"), surface(chiyoda, "ごみ"));
  }

  @Test
  void englishIsStemmed() {
    assertEquals(List.of("librari", "open", "citi"), Tokens.of(english, "The libraries are opening in the city's"));
    assertEquals(List.of("cafe", "nurseri"), Tokens.of(english, "Café nurseries"));
  }

  @Test
  void oneAnalysisGivesSurfaceAndReadingAlike() {
    String text = "こどもの予防接種と子供の健康診断";
    AnalyzedText analyzed = AnalyzedText.analyze(standard.indexSurface(), "body", text);
    assertEquals(surface(standard, text), analyzed.terms());
    assertEquals(reading(standard, text), analyzed.readings());
    // The replayed streams carry the same terms as bytes, in the same order.
    assertEquals(analyzed.terms(), replayed(analyzed.surfaceStream()));
    assertEquals(analyzed.readings(), replayed(analyzed.readingStream()));
  }

  @Test
  void unknownWordsReadAsTheirOwnKatakana() {
    String text = "ぴよぴよ教室";
    AnalyzedText analyzed = AnalyzedText.analyze(standard.indexSurface(), "body", text);
    assertEquals(reading(standard, text), analyzed.readings());
    assertEquals("ピヨピヨ", analyzed.readings().getFirst());
  }

  @Test
  void weightedTermsGiveEachTermOfSeveralTextsOnceWithItsWeightedCount() {
    AnalyzedText a = AnalyzedText.analyze(standard.indexSurface(), "title", "子供の医療費と子供の健康");
    AnalyzedText b = AnalyzedText.analyze(standard.indexSurface(), "summary", "");
    AnalyzedText c = AnalyzedText.analyze(standard.indexSurface(), "body", "医療費の助成、こどもと子ども。健康。");
    int[] weights = {4, 2, 1};
    Map<String, Integer> terms = new java.util.LinkedHashMap<>();
    Map<String, Integer> readings = new java.util.LinkedHashMap<>();
    List<AnalyzedText> texts = List.of(a, b, c);
    for (int t = 0; t < texts.size(); t++) {
      int weight = weights[t];
      texts.get(t).terms().forEach(term -> terms.merge(term, weight, Integer::sum));
      texts.get(t).readings().forEach(reading -> readings.merge(reading, weight, Integer::sum));
    }
    assertEquals(terms, weighted(AnalyzedText.weightedTerms(weights, a, b, c)));
    assertEquals(readings, weighted(AnalyzedText.weightedReadings(weights, a, b, c)));
    assertEquals(List.of("コドモ", "イリョウ", "ヒ", "ケンコウ", "ジョセイ"),
        List.copyOf(weighted(AnalyzedText.weightedReadings(weights, a, b, c)).keySet()));
    // 子供 twice in the title, こども and 子ども once each in the body: one reading
    assertEquals(4 * 2 + 2, weighted(AnalyzedText.weightedReadings(weights, a, b, c)).get("コドモ"));
    assertThrows(IllegalArgumentException.class, () -> AnalyzedText.weightedTerms(new int[] {1, 2}, a, b, c));
  }

  /** The terms of a stream, in order, with the frequency it gives each. */
  static Map<String, Integer> weighted(org.apache.lucene.analysis.TokenStream ts) {
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    try (ts) {
      var term = ts.addAttribute(org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute.class);
      var frequency = ts.addAttribute(org.apache.lucene.analysis.tokenattributes.TermFrequencyAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        assertNull(out.put(term.getBytesRef().utf8ToString(), frequency.getTermFrequency()), "each term once");
      }
      ts.end();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  /** The terms of a stream that gives them as bytes, as the index writer reads them. */
  static List<String> replayed(org.apache.lucene.analysis.TokenStream ts) {
    List<String> out = new java.util.ArrayList<>();
    try (ts) {
      var term = ts.addAttribute(org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.getBytesRef().utf8ToString());
      }
      ts.end();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }
}

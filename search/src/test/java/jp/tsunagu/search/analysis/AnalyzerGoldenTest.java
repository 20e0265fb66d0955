package jp.tsunagu.search.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
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
  void distinctTermsGiveEachTermOfSeveralTextsOnce() {
    AnalyzedText a = AnalyzedText.analyze(standard.indexSurface(), "title", "子供の医療費と子供の健康");
    AnalyzedText b = AnalyzedText.analyze(standard.indexSurface(), "summary", "");
    AnalyzedText c = AnalyzedText.analyze(standard.indexSurface(), "body", "医療費の助成、こどもと子ども。健康。");
    List<String> terms = new java.util.ArrayList<>(a.terms());
    terms.addAll(c.terms());
    List<String> readings = new java.util.ArrayList<>(a.readings());
    readings.addAll(c.readings());
    assertEquals(List.copyOf(new java.util.LinkedHashSet<>(terms)), replayed(AnalyzedText.distinctTerms(a, b, c)));
    assertEquals(List.copyOf(new java.util.LinkedHashSet<>(readings)), replayed(AnalyzedText.distinctReadings(a, b, c)));
    assertEquals(List.of("コドモ", "イリョウ", "ヒ", "ケンコウ", "ジョセイ"), replayed(AnalyzedText.distinctReadings(a, b, c)));
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

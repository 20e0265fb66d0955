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
  }
}

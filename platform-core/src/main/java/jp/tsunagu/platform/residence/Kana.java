package jp.tsunagu.platform.residence;

import java.text.Normalizer;

/** Kana as the resident records keep it: full-width katakana (half-width and hiragana folded). */
public final class Kana {
  private Kana() {}

  public static String normalise(String text) {
    String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC).strip();
    StringBuilder out = new StringBuilder(nfkc.length());
    nfkc.codePoints().forEach(c -> out.appendCodePoint(c >= 0x3041 && c <= 0x3096 ? c + 0x60 : c));
    return out.toString();
  }
}

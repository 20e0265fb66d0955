package jp.tsunagu.search.analysis;

/** Kana helpers shared by the reading filter, the index and the suggester. */
public final class Readings {

  private Readings() {}

  /**
   * The katakana reading of a token: the dictionary reading when Kuromoji knows the word,
   * otherwise the term itself with hiragana turned into katakana (so unknown kana words still meet
   * their other spelling).
   */
  public static String of(CharSequence term, String dictionaryReading) {
    if (dictionaryReading != null && !dictionaryReading.isEmpty()) {
      return dictionaryReading;
    }
    return toKatakana(term);
  }

  /** Hiragana (U+3041..U+3096, ゝゞ) to katakana; every other character unchanged. */
  public static String toKatakana(CharSequence text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c >= '\u3041' && c <= '\u3096') || c == '\u309D' || c == '\u309E') {
        out.append((char) (c + 0x60));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** True when the text holds at least one kana character and nothing but kana and ー. */
  public static boolean isKana(CharSequence text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean kana = (c >= '\u3041' && c <= '\u30FA') || c == '\u30FC' || c == '\u309D' || c == '\u309E';
      if (!kana) {
        return false;
      }
    }
    return true;
  }
}

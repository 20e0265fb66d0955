package jp.tsunagu.search.page;

/** The language a page is written in; it selects the analysis of its text. */
public enum Language {
  JA,
  EN;

  public String code() {
    return this == JA ? "ja" : "en";
  }

  public static Language ofCode(String code) {
    return switch (code) {
      case "ja" -> JA;
      case "en" -> EN;
      default -> throw new IllegalArgumentException("unsupported language: " + code);
    };
  }
}

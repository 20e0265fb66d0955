package jp.tsunagu.search.page;

import java.util.Locale;

/** Life stages a page is written for; the code is what the index and the API use. */
public enum LifeStage {
  PREGNANCY,
  INFANT,
  PRESCHOOL,
  SCHOOL_AGE,
  YOUTH,
  ADULT,
  SENIOR;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static LifeStage ofCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}

package jp.tsunagu.consent.declaration;

import java.util.Objects;

/** Text shown to citizens, in Japanese and English. */
public record LocalizedText(String ja, String en) {
  public LocalizedText {
    Objects.requireNonNull(ja, "ja");
    Objects.requireNonNull(en, "en");
  }
}

package jp.tsunagu.search.page;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Test fixtures. */
final class Pages {

  static final String CHIYODA = "131016";
  static final String SAPPORO = "011002";
  static final Instant NOW = Instant.parse("2026-04-01T00:00:00Z");

  private Pages() {}

  static Page ja(String tenant, String id, String title, String body, String category) {
    return new Page(tenant, id, "https://example.jp/" + tenant + "/" + id, title, "", body, category, "総務課",
        List.of(), List.of(), Set.of(), Language.JA, NOW.minusSeconds(86_400L * 10), null, false);
  }

  static Page ja(String tenant, String id, String title, String body, String category, String district,
      Instant published) {
    return new Page(tenant, id, "https://example.jp/" + tenant + "/" + id, title, "", body, category, "総務課",
        List.of(), List.of(district), Set.of(LifeStage.PRESCHOOL), Language.JA, published, null, false);
  }

  static Page en(String tenant, String id, String title, String body) {
    return new Page(tenant, id, "https://example.jp/en/" + id, title, "", body, "guide", "International",
        List.of(), List.of(), Set.of(), Language.EN, NOW.minusSeconds(86_400L), null, false);
  }
}

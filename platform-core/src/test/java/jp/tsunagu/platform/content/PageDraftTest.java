package jp.tsunagu.platform.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import jp.tsunagu.platform.http.ProblemException;
import org.junit.jupiter.api.Test;

class PageDraftTest {
  static PageDraft draft(String html, String category, List<String> tags) {
    return new PageDraft(" https://www.city.shimada.shizuoka.jp/a.html ", " 児童手当 ", "", html, category, " ", tags,
        List.of("d1", "d1"), List.of("infant"), null, null);
  }

  @Test
  void checkingTrimsAndDeduplicates() {
    PageDraft d = draft("<p>本文</p>", "kosodate", List.of(" 手当 ", "手当", "")).checked();
    assertEquals("https://www.city.shimada.shizuoka.jp/a.html", d.url());
    assertEquals("児童手当", d.title());
    assertEquals(List.of("手当"), d.tags());
    assertEquals(List.of("d1"), d.districts());
    assertNull(d.department());
    assertEquals("ja", d.language());
  }

  @Test
  void theHashFollowsSubstanceNotMarkup() {
    PageDraft a = draft("<p>児童手当の申請</p>", "kosodate", List.of()).checked();
    PageDraft b = draft("<div><p>児童手当の申請</p></div>", "kosodate", List.of()).checked();
    PageDraft c = draft("<p>児童手当の申請</p>", "fukushi", List.of()).checked();
    PageDraft d = draft("<p>児童手当の申請</p>", "kosodate", List.of("手当")).checked();
    assertEquals(a.hash(a.text()), b.hash(b.text()));
    assertNotEquals(a.hash(a.text()), c.hash(c.text()));
    assertNotEquals(a.hash(a.text()), d.hash(d.text()));
  }

  @Test
  void badDraftsAreRefused() {
    assertThrows(ProblemException.class, () -> new PageDraft("javascript:alert(1)", "t", "", "", null, null, null, null, null, "ja", null).checked());
    assertThrows(ProblemException.class, () -> new PageDraft("https://x.jp/", "t".repeat(301), "", "", null, null, null, null, null, "ja", null).checked());
    assertThrows(ProblemException.class, () -> new PageDraft("https://x.jp/", "t", "", "", null, null, null, null, List.of("baby"), "ja", null).checked());
    assertThrows(ProblemException.class, () -> new PageDraft("https://x.jp/", "t", "", "", null, null, null, null, null, "fr", null).checked());
    assertThrows(ProblemException.class, () -> new PageDraft("https://x.jp/", "t", "", "x".repeat(PageDraft.MAX_HTML + 1), null, null,
        null, null, null, "ja", null).checked());
  }
}

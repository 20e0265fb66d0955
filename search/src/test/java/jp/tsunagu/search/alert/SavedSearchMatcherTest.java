package jp.tsunagu.search.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.tsunagu.search.InvalidSearchRequestException;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.page.Language;
import jp.tsunagu.search.page.LifeStage;
import jp.tsunagu.search.page.Page;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SavedSearchMatcherTest {

  static final String CHIYODA = "131016";
  static final String SAPPORO = "011002";

  AnalysisRegistry analysis;
  SavedSearchMatcher matcher;

  @BeforeEach
  void setUp() {
    analysis = new AnalysisRegistry();
    matcher = new SavedSearchMatcher(analysis);
  }

  @AfterEach
  void tearDown() throws Exception {
    matcher.close();
    analysis.close();
  }

  static Page page(String tenant, String title, String body, String category, String district, boolean withdrawn) {
    return new Page(tenant, "p1", "", title, "", body, category, "", List.of(), List.of(district),
        Set.of(LifeStage.INFANT), Language.JA, Instant.parse("2026-04-01T00:00:00Z"), null, withdrawn);
  }

  @Test
  void matchesByTextTenantAndFilters() {
    matcher.register(new SavedSearch("s-kodomo", CHIYODA, "こども 健診", Map.of()));
    matcher.register(new SavedSearch("s-kanda", CHIYODA, "", Map.of("district", List.of("神田"))));
    matcher.register(new SavedSearch("s-bousai", CHIYODA, "防災", Map.of("category", List.of("防災"))));
    matcher.register(new SavedSearch("s-sapporo", SAPPORO, "健診", Map.of()));
    matcher.register(new SavedSearch("s-infant", CHIYODA, "", Map.of("life_stage", List.of("infant"))));
    assertEquals(5, matcher.size());

    Page kenshin = page(CHIYODA, "乳幼児健診の日程", "子供の健診を行います。", "健康", "神田", false);
    assertEquals(List.of("s-infant", "s-kanda", "s-kodomo"), matcher.match(kenshin));

    Page drill = page(CHIYODA, "防災訓練", "防災訓練を行います。", "防災", "麹町", false);
    assertEquals(List.of("s-bousai", "s-infant"), matcher.match(drill));
  }

  @Test
  void unregisterAndWithdrawn() {
    matcher.register(new SavedSearch("s1", CHIYODA, "健診", Map.of()));
    Page kenshin = page(CHIYODA, "健診", "健診", "健康", "神田", false);
    assertEquals(List.of("s1"), matcher.match(kenshin));
    assertEquals(List.of(), matcher.match(page(CHIYODA, "健診", "健診", "健康", "神田", true)));
    matcher.unregister("s1");
    matcher.unregister("s1");
    assertEquals(List.of(), matcher.match(kenshin));
  }

  @Test
  void badSavedSearchesAreRefused() {
    assertThrows(InvalidSearchRequestException.class,
        () -> matcher.register(new SavedSearch("x", CHIYODA, "\"unclosed", Map.of())));
    assertThrows(InvalidSearchRequestException.class,
        () -> matcher.register(new SavedSearch("x", CHIYODA, "a", Map.of("colour", List.of("red")))));
    assertThrows(InvalidSearchRequestException.class,
        () -> matcher.register(new SavedSearch("x", CHIYODA, "a", Map.of("published", List.of("last_7_days")))));
    assertEquals(0, matcher.size());
  }
}

package jp.tsunagu.platform.content;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.api.client.StaffApi;
import jp.tsunagu.api.model.SignInRequest;
import jp.tsunagu.platform.testing.Poll;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.Test;

/** The demo start gives the first tour something to search: 島田市's pages, facilities and an editor. */
class DemoContentIT {
  @Test
  void theDemoMunicipalityHasSearchablePagesFacilitiesAndAnEditor() throws Exception {
    try (TestPlatform node = TestPlatform.start(Map.of("demo", "true"))) {
      ContentApi api = new ContentApi(node.client());
      Poll.until(Duration.ofSeconds(10), "the demo pages are searchable",
          () -> ContentTesting.search(api, "222097", "保育園 申し込み").getTotal() >= 1);
      assertEquals("保育園・認定こども園の入園申し込み", ContentTesting.search(api, "222097", "保育園 申し込み").getHits().get(0).getTitle());
      // suggestions come from the suggester, rebuilt after the index: poll it like the search
      Poll.until(Duration.ofSeconds(10), "the demo pages are suggested",
          () -> api.suggestPages("こそだ", List.of("222097"), 5).getItems().contains("子育て支援センターの利用"));
      Poll.until(Duration.ofSeconds(10), "the demo facilities are searchable", () -> api.searchFacilities(List.of("222097"),
          new BigDecimal("34.8363"), new BigDecimal("138.1766"), BigDecimal.valueOf(1500), null, List.of("nursery"), null, null,
          null, 10).getTotal() >= 1);
      new StaffApi(node.client()).staffSignIn(new SignInRequest().email("editor@shimada.example").password("demo-editor-2026"));
    }
  }
}

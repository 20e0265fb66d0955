package jp.tsunagu.platform.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The page a content event carries for the index is the page as stored, whatever the bus does to JSON. */
class ContentEventTest {
  private static final OffsetDateTime PUBLISHED = OffsetDateTime.of(2024, 4, 1, 9, 30, 0, 123_456_000, ZoneOffset.ofHours(9));
  private static final OffsetDateTime UPDATED = OffsetDateTime.of(2024, 5, 2, 0, 0, 1, 0, ZoneOffset.UTC);

  private static ContentPage page(String body, OffsetDateTime withdrawn) {
    return new ContentPage(UUID.randomUUID(), "222097", "https://www.city.shimada.shizuoka.jp/kosodate/jidou.html",
        "児童手当のご案内", "手当の申請について", "<p>" + body + "</p>", body, "kosodate", "kodomo-ka",
        List.of("手当", "申請"), List.of("0101", "0102"), List.of("infant", "preschool"), "ja", "cms", "hash",
        PUBLISHED, UPDATED, withdrawn);
  }

  @Test
  void theCarriedPageIsThePageTheIndexWouldReadFromPostgres() {
    ContentPage stored = page("中学生までの子どもを養育している方に支給します。", null);
    JsonObject json = ContentEvent.of(41, "published", UPDATED, stored).toJson();
    JsonObject overTheBus = new JsonObject(json.encode());

    assertEquals(stored.toIndexPage(), ContentEvent.indexedPage(overTheBus));
    assertEquals(41, overTheBus.getLong("changeId"));
    assertEquals(stored.title(), overTheBus.getString("title"), "the fields other consumers read stay as they were");
  }

  @Test
  void aWithdrawalCarriesTheWithdrawnPage() {
    ContentPage gone = page("本文", UPDATED.plusDays(1));
    assertTrue(ContentEvent.indexedPage(new JsonObject(ContentEvent.of(42, "withdrawn", UPDATED, gone).toJson().encode()))
        .withdrawn());
  }

  @Test
  void aPageTooLongToTravelAndAFacilityChangeCarryNone() {
    ContentPage longPage = page("あ".repeat(ContentEvent.MAX_INDEXED_TEXT), null);
    ContentEvent event = ContentEvent.of(43, "updated", UPDATED, longPage);
    assertNull(event.indexed());
    assertNull(ContentEvent.indexedPage(event.toJson()));
    assertNull(ContentEvent.indexedPage(new ContentEvent(44, "facilities_replaced", "222097", null, null, null, null, null,
        null, null, UPDATED, null).toJson()));
  }

  @Test
  void aPageTheIndexCouldNotTakeTravelsWithoutIt() {
    ContentPage odd = new ContentPage(UUID.randomUUID(), "222097", "https://example.org/x", "t", "", "", "", null, null,
        List.of(), List.of(), List.of("no-such-stage"), "ja", "cms", "h", PUBLISHED, UPDATED, null);
    assertNull(ContentEvent.of(45, "published", UPDATED, odd).indexed(), "the indexer reads it from PostgreSQL and skips it there");
  }

  @Test
  void aDamagedCarriedPageIsRefused() {
    JsonObject json = ContentEvent.of(46, "published", UPDATED, page("本文", null)).toJson();
    json.getJsonObject("indexed").put("published", "yesterday");
    assertThrows(RuntimeException.class, () -> ContentEvent.indexedPage(json));
  }
}

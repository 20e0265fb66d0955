package jp.tsunagu.consent.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.consent.ledger.ConsentState;
import org.junit.jupiter.api.Test;

class ConsentSnapshotTest {
  private static final long NOW = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();

  private static ConsentSnapshot snapshot(ConsentState state, int notice, int currentNotice, Instant expires) {
    return new ConsentSnapshot(UUID.randomUUID(), state, notice, currentNotice, Set.of("name", "district"),
        Set.of("circular_delivery"), expires);
  }

  @Test
  void permitsOnlyConsentedItemsForConsentedPurposes() {
    ConsentSnapshot s = snapshot(ConsentState.GIVEN, 2, 2, null);
    assertTrue(s.evaluate("name", "circular_delivery", NOW).permitted());
    assertEquals(DecisionReason.ITEM_NOT_CONSENTED, s.evaluate("kana", "circular_delivery", NOW).reason());
    assertEquals(DecisionReason.PURPOSE_NOT_CONSENTED, s.evaluate("name", "marketing", NOW).reason());
  }

  @Test
  void deniesForEveryStateButGivenUnderTheNoticeInForce() {
    assertEquals(DecisionReason.NOTICE_CHANGED, snapshot(ConsentState.GIVEN, 1, 2, null).evaluate("name", "circular_delivery", NOW).reason());
    assertEquals(DecisionReason.REFUSED, snapshot(ConsentState.REFUSED, 2, 2, null).evaluate("name", "circular_delivery", NOW).reason());
    assertEquals(DecisionReason.WITHDRAWN, snapshot(ConsentState.WITHDRAWN, 2, 2, null).evaluate("name", "circular_delivery", NOW).reason());
    assertEquals(DecisionReason.EXPIRED, snapshot(ConsentState.EXPIRED, 2, 2, null).evaluate("name", "circular_delivery", NOW).reason());
    assertEquals(DecisionReason.SUPERSEDED, snapshot(ConsentState.SUPERSEDED, 2, 2, null).evaluate("name", "circular_delivery", NOW).reason());
    assertEquals(DecisionReason.NO_CONSENT, ConsentSnapshot.none().evaluate("name", "circular_delivery", NOW).reason());
  }

  @Test
  void deniesFromTheExpiryInstantOn() {
    Instant expires = Instant.ofEpochMilli(NOW + 1000);
    ConsentSnapshot s = snapshot(ConsentState.GIVEN, 1, 1, expires);
    assertTrue(s.evaluate("name", "circular_delivery", NOW + 999).permitted());
    assertEquals(DecisionReason.EXPIRED, s.evaluate("name", "circular_delivery", NOW + 1000).reason());
  }

  @Test
  void invalidationsSurviveTheWire() {
    for (Invalidation i : new Invalidation[] {
        new Invalidation.Link(new ConsentKey("131016", "c1", "library")),
        new Invalidation.Service("131016", "library"),
        new Invalidation.All()}) {
      assertEquals(i, Invalidation.fromJson(new JsonObject(i.toJson().encode())));
    }
  }
}

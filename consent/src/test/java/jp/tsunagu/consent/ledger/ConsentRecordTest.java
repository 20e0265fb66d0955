package jp.tsunagu.consent.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.ConsentException;
import org.junit.jupiter.api.Test;

class ConsentRecordTest {
  private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");

  private static ConsentRecord given(Optional<Instant> expiresAt) {
    return ConsentRecord.decided(UUID.randomUUID(), "131016", "c1", "library", 1, Set.of("name"),
        Set.of("lending"), true, Actor.citizen("c1", Channel.WEB), T0, expiresAt);
  }

  private static void assertIllegal(Runnable transition) {
    ConsentException e = assertThrows(ConsentException.class, transition::run);
    assertEquals(ConsentError.ILLEGAL_TRANSITION, e.error());
  }

  @Test
  void givenRecordWithdrawsOnceAndThenIsFinal() {
    ConsentRecord withdrawn = given(Optional.empty()).withdraw(T0.plusSeconds(60));
    assertEquals(ConsentState.WITHDRAWN, withdrawn.state());
    assertEquals(2, withdrawn.version());
    assertEquals(T0.plusSeconds(60), withdrawn.stateChangedAt());
    assertFalse(withdrawn.isInForceAt(T0.plusSeconds(61)));
    assertIllegal(() -> withdrawn.withdraw(T0.plusSeconds(120)));
    assertIllegal(() -> withdrawn.supersede(UUID.randomUUID(), T0.plusSeconds(120)));
    assertIllegal(() -> withdrawn.expire(T0.plusSeconds(120)));
  }

  @Test
  void expiresOnlyAfterItsExpiryTime() {
    ConsentRecord record = given(Optional.of(T0.plus(Duration.ofDays(30))));
    assertTrue(record.isInForceAt(T0.plus(Duration.ofDays(29))));
    assertFalse(record.isInForceAt(T0.plus(Duration.ofDays(30))));
    assertIllegal(() -> record.expire(T0.plus(Duration.ofDays(29))));
    assertEquals(ConsentState.EXPIRED, record.expire(T0.plus(Duration.ofDays(30))).state());
    assertIllegal(() -> given(Optional.empty()).expire(T0.plus(Duration.ofDays(9999))));
  }

  @Test
  void refusalCanOnlyBeSuperseded() {
    ConsentRecord refused = ConsentRecord.decided(UUID.randomUUID(), "131016", "c1", "library", 1,
        Set.of("name"), Set.of("lending"), false, Actor.citizen("c1", Channel.WEB), T0, Optional.empty());
    assertEquals(ConsentState.REFUSED, refused.state());
    assertTrue(refused.items().isEmpty(), "a refusal agrees to nothing");
    assertFalse(refused.isInForceAt(T0));
    assertIllegal(() -> refused.withdraw(T0));
    UUID next = UUID.randomUUID();
    ConsentRecord superseded = refused.supersede(next, T0.plusSeconds(1));
    assertEquals(ConsentState.SUPERSEDED, superseded.state());
    assertEquals(Optional.of(next), superseded.supersededBy());
    assertIllegal(() -> superseded.supersede(UUID.randomUUID(), T0.plusSeconds(2)));
  }

  @Test
  void actorsMayActOnlyInTheirRole() {
    Actor.citizen("c1", Channel.WEB).requireMayActFor("c1");
    Actor.guardian("parent", Channel.MOBILE_APP).requireMayActFor("child");
    Actor.staffAssisted("staff-7", Channel.PAPER_FORM, "form-2026-0042").requireMayActFor("c1");
    for (Runnable bad : new Runnable[] {
        () -> Actor.citizen("c2", Channel.WEB).requireMayActFor("c1"),
        () -> Actor.guardian("c1", Channel.WEB).requireMayActFor("c1"),
        () -> Actor.staffAssisted("staff-7", Channel.PAPER_FORM, " ").requireMayActFor("c1"),
        () -> Actor.staffAssisted("staff-7", Channel.WEB, "form-1").requireMayActFor("c1"),
        () -> Actor.citizen("c1", Channel.PAPER_FORM).requireMayActFor("c1"),
        () -> Actor.system().requireMayActFor("c1")}) {
      ConsentException e = assertThrows(ConsentException.class, bad::run);
      assertEquals(ConsentError.INVALID_REQUEST, e.error());
    }
  }
}

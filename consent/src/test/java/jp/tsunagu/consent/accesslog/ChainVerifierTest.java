package jp.tsunagu.consent.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {
  private static final Instant T0 = Instant.parse("2026-05-01T09:00:00.123456Z");

  private static List<AccessLogEntry> chain(int n) {
    List<AccessLogEntry> entries = new ArrayList<>();
    byte[] prev = AccessChain.genesis();
    for (int seq = 1; seq <= n; seq++) {
      List<String> items = List.of("district", "name");
      Instant at = T0.plusSeconds(seq);
      byte[] hash = AccessChain.hash(prev, "c1", seq, "131016", "circulars", AccessKind.PUSH, items,
          "circular_delivery", Optional.of(new UUID(0, seq)), at);
      entries.add(new AccessLogEntry("c1", seq, "131016", "circulars", AccessKind.PUSH, items,
          "circular_delivery", Optional.of(new UUID(0, seq)), at, prev, hash));
      prev = hash;
    }
    return entries;
  }

  private static Optional<ChainHead> headOf(List<AccessLogEntry> entries) {
    AccessLogEntry last = entries.getLast();
    return Optional.of(new ChainHead("c1", last.seq(), last.entryHash()));
  }

  @Test
  void anUntouchedChainIsIntact() {
    List<AccessLogEntry> entries = chain(5);
    ChainVerification v = ChainVerifier.verify("c1", entries, headOf(entries));
    assertTrue(v.intact(), v.toString());
    assertEquals(5, v.entriesChecked());
    assertTrue(ChainVerifier.verify("c9", List.of(), Optional.empty()).intact());
  }

  @Test
  void theHashCoversEveryField() {
    byte[] base = AccessChain.hash(AccessChain.genesis(), "c1", 1, "t", "s", AccessKind.READ, List.of("a", "b"), "p",
        Optional.empty(), T0);
    assertEquals(32, base.length);
    assertNotEquals(HexFormat.of().formatHex(base), HexFormat.of().formatHex(AccessChain.hash(AccessChain.genesis(),
        "c1", 1, "t", "s", AccessKind.READ, List.of("ab"), "p", Optional.empty(), T0)), "length prefixes keep fields apart");
    assertNotEquals(HexFormat.of().formatHex(base), HexFormat.of().formatHex(AccessChain.hash(AccessChain.genesis(),
        "c1", 1, "t", "s", AccessKind.PUSH, List.of("a", "b"), "p", Optional.empty(), T0)));
  }

  @Test
  void detectsAnEditedEntry() {
    List<AccessLogEntry> entries = new ArrayList<>(chain(5));
    AccessLogEntry e = entries.get(2);
    entries.set(2, new AccessLogEntry(e.citizenId(), e.seq(), e.tenantId(), e.serviceId(), e.kind(), List.of("name"),
        e.purpose(), e.consentId(), e.occurredAt(), e.prevHash(), e.entryHash()));
    ChainVerification v = ChainVerifier.verify("c1", entries, headOf(chain(5)));
    assertFalse(v.intact());
    assertEquals(Optional.of(3L), v.brokenAtSeq());
  }

  @Test
  void detectsARemovedEntryAndACutTail() {
    List<AccessLogEntry> full = chain(5);
    List<AccessLogEntry> gap = new ArrayList<>(full);
    gap.remove(1);
    assertEquals(Optional.of(2L), ChainVerifier.verify("c1", gap, headOf(full)).brokenAtSeq());
    List<AccessLogEntry> cut = new ArrayList<>(full.subList(0, 3));
    ChainVerification v = ChainVerifier.verify("c1", cut, headOf(full));
    assertFalse(v.intact());
    assertEquals(Optional.of(4L), v.brokenAtSeq());
    assertFalse(ChainVerifier.verify("c1", full, Optional.empty()).intact(), "entries without a head");
  }
}

package jp.tsunagu.consent.accesslog;

import static jp.tsunagu.consent.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import jp.tsunagu.consent.testing.ConsentHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessLogIT {
  private ConsentHarness harness;
  private AccessLogService log;

  @BeforeAll
  void start() {
    harness = new ConsentHarness(6);
    log = new AccessLogService(harness.db.pool(), new PgAccessLogRepository(), Clock.systemUTC());
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  @BeforeEach
  void reset() {
    harness.reset();
  }

  private static AccessEvent event(String citizen, String service, Set<String> items) {
    return new AccessEvent("131016", citizen, service, AccessKind.READ, items, "lending", Optional.of(UUID.randomUUID()));
  }

  private void appendThree(String citizen) {
    await(log.append(event(citizen, "library", Set.of("name", "library_card_number"))));
    await(log.append(new AccessEvent("131016", citizen, "circulars", AccessKind.PUSH, Set.of("name", "district"),
        "circular_delivery", Optional.empty())));
    await(log.append(event(citizen, "library", Set.of("name"))));
  }

  private ChainVerification verify(String citizen) {
    return await(log.verify(citizen));
  }

  @Test
  void theCitizenReadsWhoReadTheirDataAndTheChainVerifies() {
    appendThree("c1");
    appendThree("c2");
    List<AccessLogEntry> entries = await(log.entries("c1", 1, 100));
    assertEquals(List.of(1L, 2L, 3L), entries.stream().map(AccessLogEntry::seq).toList());
    assertEquals(List.of("library_card_number", "name"), entries.getFirst().items());
    assertEquals(AccessKind.PUSH, entries.get(1).kind());
    assertEquals("circular_delivery", entries.get(1).purpose());
    assertTrue(entries.stream().allMatch(e -> e.citizenId().equals("c1")), "only their own entries");
    assertTrue(verify("c1").intact());
    assertEquals(List.of(), await(log.verifyAll()));
  }

  @Test
  void detectsAnEditedItemList() {
    appendThree("c1");
    harness.db.execute("UPDATE consent.access_log SET items = ARRAY['name'] WHERE citizen_id = 'c1' AND seq = 1");
    ChainVerification v = verify("c1");
    assertFalse(v.intact());
    assertEquals(Optional.of(1L), v.brokenAtSeq());
  }

  @Test
  void detectsAChangedServiceOrTime() {
    appendThree("c1");
    harness.db.execute("UPDATE consent.access_log SET service_id = 'library' WHERE citizen_id = 'c1' AND seq = 2");
    assertEquals(Optional.of(2L), verify("c1").brokenAtSeq());
    harness.reset();
    appendThree("c1");
    harness.db.execute("UPDATE consent.access_log SET occurred_at = occurred_at - interval '1 day' WHERE citizen_id = 'c1' AND seq = 3");
    assertEquals(Optional.of(3L), verify("c1").brokenAtSeq());
  }

  @Test
  void detectsADeletedEntryAndADeletedTail() {
    appendThree("c1");
    harness.db.execute("DELETE FROM consent.access_log WHERE citizen_id = 'c1' AND seq = 2");
    assertEquals(Optional.of(2L), verify("c1").brokenAtSeq());
    harness.reset();
    appendThree("c1");
    harness.db.execute("DELETE FROM consent.access_log WHERE citizen_id = 'c1' AND seq = 3");
    ChainVerification v = verify("c1");
    assertFalse(v.intact());
    assertEquals(Optional.of(3L), v.brokenAtSeq());
  }

  @Test
  void detectsAnEntryRehashedWithoutItsSuccessor() {
    appendThree("c1");
    harness.db.execute("UPDATE consent.access_log SET items = ARRAY['name'],"
        + " entry_hash = sha256(entry_hash) WHERE citizen_id = 'c1' AND seq = 1");
    assertFalse(verify("c1").intact());
  }

  @Test
  void aSignedCheckpointCatchesAConsistentlyRewrittenChain() {
    var checkpoints = new AccessLogCheckpoints(log, harness.issuer, Clock.systemUTC());
    appendThree("c1");
    String checkpoint = await(checkpoints.checkpoint("c1"));
    await(log.append(event("c1", "library", Set.of("name"))));
    assertTrue(await(checkpoints.verify(checkpoint)).intact(), "appending after a checkpoint is fine");

    harness.db.execute("DELETE FROM consent.access_log WHERE citizen_id = 'c1'");
    harness.db.execute("DELETE FROM consent.access_log_head WHERE citizen_id = 'c1'");
    await(log.append(event("c1", "library", Set.of("name"))));
    await(log.append(event("c1", "library", Set.of("name"))));
    await(log.append(event("c1", "library", Set.of("name"))));
    assertTrue(verify("c1").intact(), "a rebuilt chain is self-consistent");
    ChainVerification v = await(checkpoints.verify(checkpoint));
    assertFalse(v.intact());
    assertEquals(Optional.of(3L), v.brokenAtSeq());
  }

  @Test
  void aForgedCheckpointIsRejected() {
    var checkpoints = new AccessLogCheckpoints(log, harness.issuer, Clock.systemUTC());
    var forger = new AccessLogCheckpoints(log, new jp.tsunagu.consent.jose.JwsIssuer(
        jp.tsunagu.consent.jose.StaticSigningKeySource.generateEc(), ConsentHarness.ISSUER), Clock.systemUTC());
    appendThree("c1");
    String forged = await(forger.checkpoint("c1"));
    var failure = jp.tsunagu.consent.testing.Await.failure(checkpoints.verify(forged));
    assertEquals(jp.tsunagu.consent.ConsentError.RECEIPT_INVALID,
        ((jp.tsunagu.consent.ConsentException) failure).error());
  }

  @Test
  void auditFindsTheOneBrokenChainAmongMany() {
    for (int i = 0; i < 5; i++) {
      appendThree("c" + i);
    }
    harness.db.execute("UPDATE consent.access_log SET purpose = 'marketing' WHERE citizen_id = 'c3' AND seq = 1");
    List<ChainVerification> broken = await(log.verifyAll());
    assertEquals(List.of("c3"), broken.stream().map(ChainVerification::citizenId).toList());
  }

  @Test
  void concurrentAppendsForOneCitizenFormOneUnbrokenChain() {
    List<Future<AccessLogEntry>> appends = IntStream.range(0, 60)
        .mapToObj(i -> log.append(event("c1", i % 2 == 0 ? "library" : "circulars", Set.of("name"))))
        .toList();
    await(Future.all(appends));
    assertEquals(60, harness.db.count("consent.access_log"));
    ChainVerification v = verify("c1");
    assertTrue(v.intact(), v.toString());
    assertEquals(60, v.entriesChecked());
  }
}

package jp.tsunagu.consent.receipt;

import static jp.tsunagu.consent.testing.Await.await;
import static jp.tsunagu.consent.testing.Await.failure;
import static jp.tsunagu.consent.testing.Fixtures.CITIZEN;
import static jp.tsunagu.consent.testing.Fixtures.SERVICE;
import static jp.tsunagu.consent.testing.Fixtures.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.vertx.core.Future;
import java.time.Instant;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.ConsentException;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.consent.decision.InProcessDecisionCacheInvalidator;
import jp.tsunagu.consent.jose.JwsIssuer;
import jp.tsunagu.consent.ledger.Actor;
import jp.tsunagu.consent.ledger.Channel;
import jp.tsunagu.consent.ledger.ConsentRecord;
import jp.tsunagu.consent.ledger.ConsentState;
import jp.tsunagu.consent.testing.ConsentHarness;
import jp.tsunagu.consent.testing.Fixtures;
import jp.tsunagu.consent.testing.MutableClock;
import jp.tsunagu.consent.withdrawal.WithdrawalRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReceiptIT {
  private ConsentHarness harness;
  private ConsentModule consent;

  @BeforeAll
  void start() {
    harness = new ConsentHarness(4);
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  @BeforeEach
  void reset() {
    harness.reset();
    consent = harness.module(new InProcessDecisionCacheInvalidator(), new MutableClock(Instant.parse("2026-05-01T09:00:00Z")));
    await(consent.declarations().publish(Fixtures.declaration(1)));
  }

  private static ConsentError errorOf(Future<?> future) {
    return assertInstanceOf(ConsentException.class, failure(future)).error();
  }

  @Test
  void theCitizenDownloadsAReceiptThatVerifies() {
    ConsentRecord record = await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    String jws = await(consent.receipts().issue(CITIZEN, record.id()));
    VerifiedReceipt verified = await(consent.receipts().verifyCurrent(jws));
    assertEquals(record.id(), verified.recordId());
    assertEquals(ConsentState.GIVEN, verified.state());
    assertEquals(1, harness.db.count("consent.receipt"));
  }

  @Test
  void noReceiptForSomeoneElsesRecord() {
    ConsentRecord record = await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    assertEquals(ConsentError.CONSENT_NOT_FOUND, errorOf(consent.receipts().issue("intruder", record.id())));
    assertEquals(0, harness.db.count("consent.receipt"));
  }

  @Test
  void aReceiptOfAWithdrawnConsentIsStaleButTheNewReceiptIsCurrent() {
    ConsentRecord record = await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    String beforeWithdrawal = await(consent.receipts().issue(CITIZEN, record.id()));
    await(consent.withdrawals().withdraw(new WithdrawalRequest(TENANT, CITIZEN, SERVICE, Actor.citizen(CITIZEN, Channel.WEB))));
    await(consent.receipts().verify(beforeWithdrawal));
    assertEquals(ConsentError.RECEIPT_STALE, errorOf(consent.receipts().verifyCurrent(beforeWithdrawal)));
    String afterWithdrawal = await(consent.receipts().issue(CITIZEN, record.id()));
    assertEquals(ConsentState.WITHDRAWN, await(consent.receipts().verifyCurrent(afterWithdrawal)).state());
  }

  @Test
  void aReceiptIsAcceptedAsProofOnlyOnce() {
    ConsentRecord record = await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    String jws = await(consent.receipts().issue(CITIZEN, record.id()));
    await(consent.receipts().redeem(jws));
    assertEquals(ConsentError.RECEIPT_REPLAYED, errorOf(consent.receipts().redeem(jws)));
    assertEquals(1, harness.db.count("consent.receipt_presentation"));
  }

  @Test
  void aWellSignedReceiptTheLedgerNeverIssuedIsRejected() throws Exception {
    ConsentRecord record = await(consent.consents().give(Fixtures.giveAll(CITIZEN)));
    String genuine = await(consent.receipts().issue(CITIZEN, record.id()));
    harness.db.execute("DELETE FROM consent.receipt");
    assertEquals(ConsentError.RECEIPT_INVALID, errorOf(consent.receipts().verify(genuine)));
    String forged = new JwsIssuer(jp.tsunagu.consent.jose.StaticSigningKeySource.generateEc(), ConsentHarness.ISSUER)
        .sign(ReceiptVerifier.TYPE, com.nimbusds.jwt.SignedJWT.parse(genuine).getJWTClaimsSet());
    assertEquals(ConsentError.RECEIPT_INVALID, errorOf(consent.receipts().verify(forged)));
  }
}

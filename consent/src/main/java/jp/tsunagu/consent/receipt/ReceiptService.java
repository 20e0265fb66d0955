package jp.tsunagu.consent.receipt;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.PgErrors;
import jp.tsunagu.consent.jose.JwsIssuer;
import jp.tsunagu.consent.ledger.ConsentRecord;
import jp.tsunagu.consent.ledger.ConsentRepository;

/**
 * Issues consent receipts (JWS signed by the platform) and checks receipts brought back:
 * genuine ({@link #verify}), still describing the record as it is now ({@link #verifyCurrent}),
 * or presented for the first time ({@link #redeem}).
 */
public final class ReceiptService {
  private final Pool pool;
  private final ConsentRepository records;
  private final ReceiptRepository receipts;
  private final JwsIssuer issuer;
  private final ReceiptVerifier verifier;
  private final Clock clock;

  public ReceiptService(Pool pool, ConsentRepository records, ReceiptRepository receipts, JwsIssuer issuer, Clock clock) {
    this.pool = pool;
    this.records = records;
    this.receipts = receipts;
    this.issuer = issuer;
    this.verifier = new ReceiptVerifier(issuer.keys(), issuer.issuer());
    this.clock = clock;
  }

  /** A signed receipt for the current version of one of {@code citizenId}'s records. */
  public Future<String> issue(String citizenId, UUID recordId) {
    UUID jti = UUID.randomUUID();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    return pool.withTransaction(conn -> records.byId(conn, recordId)
        .compose(found -> found.filter(r -> r.citizenId().equals(citizenId))
            .map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(ConsentError.CONSENT_NOT_FOUND.exception(recordId.toString()))))
        .compose(record -> receipts.recordIssued(conn, jti, record.id(), record.version(), now)
            .map(v -> sign(record, jti, now))));
  }

  /** Signature, type, issuer and claims, and the receipt was issued by this ledger as it says. */
  public Future<VerifiedReceipt> verify(String jws) {
    VerifiedReceipt receipt;
    try {
      receipt = verifier.verify(jws);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return receipts.issued(pool, receipt.jti()).compose(issued -> issued
        .filter(i -> i.recordId().equals(receipt.recordId()) && i.recordVersion() == receipt.recordVersion())
        .map(i -> Future.succeededFuture(receipt))
        .orElseGet(() -> Future.failedFuture(ConsentError.RECEIPT_INVALID.exception("not issued by this ledger"))));
  }

  /**
   * As {@link #verify}, and the record has not changed since: an older receipt (say, of a consent
   * since withdrawn) fails with {@code RECEIPT_STALE}.
   */
  public Future<VerifiedReceipt> verifyCurrent(String jws) {
    return verify(jws).compose(receipt -> records.byId(pool, receipt.recordId())
        .compose(record -> record.map(ConsentRecord::version).orElse(-1) == receipt.recordVersion()
            ? Future.succeededFuture(receipt)
            : Future.failedFuture(ConsentError.RECEIPT_STALE.exception(
                "record " + receipt.recordId() + " has changed since receipt " + receipt.jti()))));
  }

  /**
   * As {@link #verifyCurrent}, and accepts each receipt once: a second presentation fails with
   * {@code RECEIPT_REPLAYED}. For flows where a receipt is handed over as proof.
   */
  public Future<VerifiedReceipt> redeem(String jws) {
    return verifyCurrent(jws).compose(receipt -> receipts.recordPresentation(pool, receipt.jti(), clock.instant())
        .map(receipt)
        .recover(failure -> Future.failedFuture(PgErrors.isUniqueViolation(failure)
            ? ConsentError.RECEIPT_REPLAYED.exception("receipt " + receipt.jti() + " was already presented")
            : failure)));
  }

  private String sign(ConsentRecord record, UUID jti, Instant now) {
    return issuer.sign(ReceiptVerifier.TYPE, ReceiptClaims.of(record, jti, now));
  }
}

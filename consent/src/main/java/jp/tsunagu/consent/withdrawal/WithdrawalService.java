package jp.tsunagu.consent.withdrawal;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.ConsentException;
import jp.tsunagu.consent.declaration.DeclarationRepository;
import jp.tsunagu.consent.declaration.ServiceDeclaration;
import jp.tsunagu.consent.decision.ConsentKey;
import jp.tsunagu.consent.decision.DecisionCacheInvalidator;
import jp.tsunagu.consent.decision.Invalidation;
import jp.tsunagu.consent.ledger.ConsentEvent;
import jp.tsunagu.consent.ledger.ConsentRecord;
import jp.tsunagu.consent.ledger.ConsentRepository;
import jp.tsunagu.consent.ledger.ConsentState;

/**
 * Withdraws consent. In order, before the returned future completes:
 * <ol>
 *   <li>one transaction moves the record GIVEN → WITHDRAWN, appends the state event and queues a
 *       signed Security Event Token for the service in the outbox;</li>
 *   <li>every member's cached decisions for the link are dropped (so no member grants access
 *       any more);</li>
 *   <li>the service's tokens for the citizen are revoked.</li>
 * </ol>
 * If step 2 or 3 fails, the withdrawal itself stands and the future fails with
 * {@code INVALIDATION_INCOMPLETE} or {@code TOKEN_REVOCATION_FAILED}; calling again is safe and
 * repeats steps 2 and 3 (withdrawing what is already withdrawn succeeds).
 */
public final class WithdrawalService {
  private final Pool pool;
  private final ConsentRepository records;
  private final DeclarationRepository declarations;
  private final SetOutboxRepository outbox;
  private final SecurityEventTokens tokens;
  private final DecisionCacheInvalidator invalidator;
  private final ServiceTokenRevoker revoker;
  private final ServiceSubjectResolver subjects;
  private final Clock clock;

  public WithdrawalService(Pool pool, ConsentRepository records, DeclarationRepository declarations,
      SetOutboxRepository outbox, SecurityEventTokens tokens, DecisionCacheInvalidator invalidator,
      ServiceTokenRevoker revoker, ServiceSubjectResolver subjects, Clock clock) {
    this.pool = pool;
    this.records = records;
    this.declarations = declarations;
    this.outbox = outbox;
    this.tokens = tokens;
    this.invalidator = invalidator;
    this.revoker = revoker;
    this.subjects = subjects;
    this.clock = clock;
  }

  public Future<WithdrawalResult> withdraw(WithdrawalRequest request) {
    try {
      request.actor().requireMayActFor(request.citizenId());
    } catch (ConsentException e) {
      return Future.failedFuture(e);
    }
    ConsentKey key = new ConsentKey(request.tenantId(), request.citizenId(), request.serviceId());
    return subjects.subjectFor(request.tenantId(), request.serviceId(), request.citizenId())
        .compose(subject -> pool.withTransaction(conn -> withdrawInLedger(conn, request, subject)))
        .compose(result -> invalidator.invalidate(new Invalidation.Link(key)).map(result))
        .compose(result -> revoker.revokeTokens(request.tenantId(), request.serviceId(), request.citizenId())
            .recover(failure -> Future.failedFuture(
                ConsentError.TOKEN_REVOCATION_FAILED.exception(String.valueOf(failure.getMessage()))))
            .map(result));
  }

  private Future<WithdrawalResult> withdrawInLedger(SqlConnection conn, WithdrawalRequest request, String subject) {
    return records.latestForUpdate(conn, request.tenantId(), request.citizenId(), request.serviceId())
        .compose(latest -> {
          if (latest.isEmpty()) {
            return Future.failedFuture(ConsentError.CONSENT_NOT_FOUND.exception(
                "no consent of " + request.citizenId() + " for " + request.serviceId()));
          }
          ConsentRecord current = latest.get();
          if (current.state() != ConsentState.GIVEN) {
            return Future.succeededFuture(new WithdrawalResult(current, false, Optional.empty()));
          }
          return withdrawGiven(conn, current, request, subject);
        });
  }

  private Future<WithdrawalResult> withdrawGiven(SqlConnection conn, ConsentRecord given, WithdrawalRequest request,
      String subject) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    ConsentRecord withdrawn = given.withdraw(now);
    UUID jti = UUID.randomUUID();
    return records.updateState(conn, withdrawn)
        .compose(v -> records.appendEvent(conn, ConsentEvent.of(Optional.of(given), withdrawn, request.actor())))
        .compose(v -> declarations.current(conn, given.tenantId(), given.serviceId()))
        .compose(declaration -> outbox.insert(conn, outboxEntry(withdrawn, declaration.orElseThrow(), subject, jti, now)))
        .map(v -> new WithdrawalResult(withdrawn, true, Optional.of(jti)));
  }

  private OutboxEntry outboxEntry(ConsentRecord withdrawn, ServiceDeclaration declaration, String subject, UUID jti,
      Instant now) {
    String set = tokens.consentWithdrawn(withdrawn, subject, declaration.audience(), jti, now);
    OutboxStatus status = declaration.setEndpoint().isPresent() ? OutboxStatus.PENDING : OutboxStatus.NO_ENDPOINT;
    return new OutboxEntry(UUID.randomUUID(), jti, withdrawn.tenantId(), withdrawn.serviceId(), withdrawn.id(),
        declaration.setEndpoint(), set, status, 0, now, Optional.empty(), now, Optional.empty());
  }
}

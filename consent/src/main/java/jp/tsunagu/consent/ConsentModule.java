package jp.tsunagu.consent;

import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import jp.tsunagu.consent.accesslog.AccessLogService;
import jp.tsunagu.consent.accesslog.PgAccessLogRepository;
import jp.tsunagu.consent.declaration.DeclarationService;
import jp.tsunagu.consent.declaration.PgDeclarationRepository;
import jp.tsunagu.consent.decision.ConsentGate;
import jp.tsunagu.consent.decision.DecisionCacheInvalidator;
import jp.tsunagu.consent.decision.GateOptions;
import jp.tsunagu.consent.decision.PgDecisionRepository;
import jp.tsunagu.consent.jose.JwsIssuer;
import jp.tsunagu.consent.ledger.ConsentService;
import jp.tsunagu.consent.ledger.PgConsentRepository;
import jp.tsunagu.consent.receipt.PgReceiptRepository;
import jp.tsunagu.consent.receipt.ReceiptService;
import jp.tsunagu.consent.withdrawal.PgSetOutboxRepository;
import jp.tsunagu.consent.withdrawal.RetryPolicy;
import jp.tsunagu.consent.withdrawal.SecurityEventTokens;
import jp.tsunagu.consent.withdrawal.ServiceSubjectResolver;
import jp.tsunagu.consent.withdrawal.ServiceTokenRevoker;
import jp.tsunagu.consent.withdrawal.SetDispatcher;
import jp.tsunagu.consent.withdrawal.SetSender;
import jp.tsunagu.consent.withdrawal.WithdrawalService;

/**
 * Wiring: the consent module's services for one member, built over PostgreSQL repositories. No
 * business logic. The member's {@link #gate()} must also be registered for invalidations (with
 * {@link jp.tsunagu.consent.decision.DecisionCacheConsumer} on the event bus, or with an
 * {@link jp.tsunagu.consent.decision.InProcessDecisionCacheInvalidator}).
 */
public final class ConsentModule {
  private final Pool pool;
  private final Clock clock;
  private final DeclarationService declarations;
  private final ConsentService consents;
  private final ConsentGate gate;
  private final ReceiptService receipts;
  private final AccessLogService accessLog;
  private final WithdrawalService withdrawals;
  private final PgSetOutboxRepository outbox = new PgSetOutboxRepository();

  public ConsentModule(Pool pool, Clock clock, JwsIssuer issuer, DecisionCacheInvalidator invalidator,
      ServiceTokenRevoker revoker, ServiceSubjectResolver subjects, GateOptions gateOptions) {
    this.pool = pool;
    this.clock = clock;
    var declarationRepository = new PgDeclarationRepository();
    var consentRepository = new PgConsentRepository();
    this.declarations = new DeclarationService(pool, declarationRepository, invalidator);
    this.consents = new ConsentService(pool, consentRepository, declarationRepository, invalidator, clock);
    this.gate = new ConsentGate(new PgDecisionRepository(pool), clock, gateOptions);
    this.receipts = new ReceiptService(pool, consentRepository, new PgReceiptRepository(), issuer, clock);
    this.accessLog = new AccessLogService(pool, new PgAccessLogRepository(), clock);
    this.withdrawals = new WithdrawalService(pool, consentRepository, declarationRepository, outbox,
        new SecurityEventTokens(issuer), invalidator, revoker, subjects, clock);
  }

  public DeclarationService declarations() {
    return declarations;
  }

  public ConsentService consents() {
    return consents;
  }

  public ConsentGate gate() {
    return gate;
  }

  public ReceiptService receipts() {
    return receipts;
  }

  public AccessLogService accessLog() {
    return accessLog;
  }

  public WithdrawalService withdrawals() {
    return withdrawals;
  }

  /** A dispatcher for the Security Event Token outbox; run {@code dispatchDue()} periodically. */
  public SetDispatcher setDispatcher(SetSender sender, RetryPolicy policy) {
    return new SetDispatcher(pool, outbox, sender, policy, clock, Duration.ofMinutes(2), 50);
  }
}

package jp.tsunagu.consent.ledger;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.PgErrors;
import jp.tsunagu.consent.declaration.DeclarationRepository;
import jp.tsunagu.consent.decision.ConsentKey;
import jp.tsunagu.consent.decision.DecisionCacheInvalidator;
import jp.tsunagu.consent.decision.Invalidation;

/**
 * The consent ledger: gives and refuses consent, expires it, and answers what was agreed.
 * Every write is one transaction; once it commits, every member's cached decisions for the link
 * are dropped before the returned future completes. Withdrawal lives in
 * {@link jp.tsunagu.consent.withdrawal.WithdrawalService}.
 */
public final class ConsentService {
  private final Pool pool;
  private final ConsentRepository records;
  private final DeclarationRepository declarations;
  private final DecisionCacheInvalidator invalidator;
  private final Clock clock;

  public ConsentService(Pool pool, ConsentRepository records, DeclarationRepository declarations,
      DecisionCacheInvalidator invalidator, Clock clock) {
    this.pool = pool;
    this.records = records;
    this.declarations = declarations;
    this.invalidator = invalidator;
    this.clock = clock;
  }

  /** Records consent to {@code request}'s items and purposes, superseding the live record. */
  public Future<ConsentRecord> give(ConsentRequest request) {
    return decide(request, true);
  }

  /** Records a refusal of the service's notice, superseding the live record. */
  public Future<ConsentRecord> refuse(ConsentRequest request) {
    return decide(request, false);
  }

  /** The latest record of a link, whatever its state. */
  public Future<Optional<ConsentRecord>> latest(String tenantId, String citizenId, String serviceId) {
    return records.latest(pool, tenantId, citizenId, serviceId);
  }

  /** A citizen's records in every tenant, newest first. */
  public Future<List<ConsentRecord>> history(String citizenId) {
    return records.byCitizen(pool, citizenId);
  }

  /** The state changes of one of {@code citizenId}'s records. */
  public Future<List<ConsentEvent>> events(String citizenId, UUID recordId) {
    return records.byId(pool, recordId)
        .compose(found -> found.filter(r -> r.citizenId().equals(citizenId)).isPresent()
            ? records.events(pool, recordId)
            : Future.failedFuture(ConsentError.CONSENT_NOT_FOUND.exception(recordId.toString())));
  }

  /**
   * Moves up to {@code limit} given records past their expiry time to EXPIRED and drops the cached
   * decisions for them; returns how many expired. Decisions already deny expired consent by time,
   * so this keeps the ledger's states true rather than stopping data.
   */
  public Future<Integer> expireDue(int limit) {
    Instant now = now();
    return pool.withTransaction(conn -> records.dueForExpiry(conn, now, limit)
            .compose(due -> Future.all(due.stream().map(r -> transition(conn, r, r.expire(now), Actor.system())).toList())
                .map(v -> due)))
        .compose(expired -> Future.all(expired.stream()
                .map(r -> invalidator.invalidate(new Invalidation.Link(ConsentKey.of(r))))
                .toList())
            .map(expired.size()));
  }

  /**
   * The service is gone (its registration removed): every consent given to it is withdrawn by the
   * platform, so the citizens' records say it no longer holds anything, and every member's cached
   * decisions for the service are dropped. Works in batches; returns how many were withdrawn.
   */
  public Future<Integer> endService(String tenantId, String serviceId) {
    Instant now = now();
    return pool.withTransaction(conn -> records.givenForService(conn, tenantId, serviceId, 500)
            .compose(given -> Future.all(given.stream()
                    .map(r -> transition(conn, r, r.withdraw(now), Actor.system())).toList())
                .map(v -> given.size())))
        .compose(n -> invalidator.invalidate(new Invalidation.Service(tenantId, serviceId))
            .compose(v -> n == 500 ? endService(tenantId, serviceId).map(more -> n + more) : Future.succeededFuture(n)));
  }

  /**
   * Records a decision, superseding the live record. Deciders of one link wait for each other
   * ({@link ConsentRepository#latestForUpdate} locks the link, not only its latest record), so two
   * first decisions for a link (two tabs, two nodes) are recorded one after the other, the last live.
   */
  private Future<ConsentRecord> decide(ConsentRequest request, boolean given) {
    Instant now = now();
    ConsentRecord record = ConsentRecord.decided(UUID.randomUUID(), request.tenantId(), request.citizenId(),
        request.serviceId(), request.noticeVersion(), request.items(), request.purposes(), given,
        request.actor(), now, request.validity().map(now::plus));
    return pool.withTransaction(conn -> declarations.current(conn, request.tenantId(), request.serviceId())
            .map(found -> ConsentValidator.requireDeclared(found, request))
            .map(declaration -> {
              if (given) {
                ConsentValidator.validateGive(declaration, request);
              } else {
                ConsentValidator.validateRefuse(declaration, request);
              }
              return declaration;
            })
            .compose(d -> supersedeLive(conn, record, now))
            .compose(v -> records.insert(conn, record))
            .compose(v -> records.appendEvent(conn, ConsentEvent.of(Optional.empty(), record, record.actor()))))
        .recover(PgErrors::duplicateAsConcurrentChange)
        .compose(v -> invalidator.invalidate(new Invalidation.Link(ConsentKey.of(record))))
        .map(record);
  }

  private Future<Void> supersedeLive(SqlConnection conn, ConsentRecord next, Instant now) {
    return records.latestForUpdate(conn, next.tenantId(), next.citizenId(), next.serviceId())
        .compose(latest -> latest.filter(r -> r.state().isLive())
            .map(live -> transition(conn, live, live.supersede(next.id(), now), next.actor()))
            .orElseGet(Future::succeededFuture));
  }

  private Future<Void> transition(SqlConnection conn, ConsentRecord before, ConsentRecord after, Actor actor) {
    return records.updateState(conn, after)
        .compose(v -> records.appendEvent(conn, ConsentEvent.of(Optional.of(before), after, actor)));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}

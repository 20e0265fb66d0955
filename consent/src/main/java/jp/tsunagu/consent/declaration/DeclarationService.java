package jp.tsunagu.consent.declaration;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.PgErrors;
import jp.tsunagu.consent.decision.DecisionCacheInvalidator;
import jp.tsunagu.consent.decision.Invalidation;

/**
 * Publishes service declarations. Publishing a new notice version stops data flowing under
 * consents given to older notices: every member's cached decisions for the service are dropped
 * before the returned future completes.
 */
public final class DeclarationService {
  private final Pool pool;
  private final DeclarationRepository declarations;
  private final DecisionCacheInvalidator invalidator;

  public DeclarationService(Pool pool, DeclarationRepository declarations, DecisionCacheInvalidator invalidator) {
    this.pool = pool;
    this.declarations = declarations;
    this.invalidator = invalidator;
  }

  /**
   * Stores {@code declaration}, whose notice version must be higher than the one in force
   * ({@link ConsentError#NOTICE_VERSION_NOT_INCREASING} otherwise).
   */
  public Future<ServiceDeclaration> publish(ServiceDeclaration declaration) {
    return pool.withTransaction(conn -> declarations
            .current(conn, declaration.tenantId(), declaration.serviceId())
            .compose(current -> {
              if (current.isPresent() && current.get().noticeVersion() >= declaration.noticeVersion()) {
                return Future.failedFuture(ConsentError.NOTICE_VERSION_NOT_INCREASING.exception(
                    "notice version " + declaration.noticeVersion() + " is not above "
                        + current.get().noticeVersion()));
              }
              return declarations.insert(conn, declaration);
            }))
        .recover(PgErrors::duplicateAsConcurrentChange)
        .compose(v -> invalidator.invalidate(
            new Invalidation.Service(declaration.tenantId(), declaration.serviceId())))
        .map(declaration);
  }

  /** The declaration in force; {@link ConsentError#UNKNOWN_SERVICE} when there is none. */
  public Future<ServiceDeclaration> current(String tenantId, String serviceId) {
    return declarations.current(pool, tenantId, serviceId)
        .compose(found -> found.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(
            ConsentError.UNKNOWN_SERVICE.exception(serviceId + " in tenant " + tenantId))));
  }
}

package jp.tsunagu.consent;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;

/** Maps PostgreSQL failures that have a domain meaning. */
public final class PgErrors {
  /** SQLSTATE unique_violation. */
  public static final String UNIQUE_VIOLATION = "23505";

  private PgErrors() {}

  public static boolean isUniqueViolation(Throwable failure) {
    return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }

  /** A unique violation means another writer got there first. */
  public static <T> Future<T> duplicateAsConcurrentChange(Throwable failure) {
    if (isUniqueViolation(failure)) {
      return Future.failedFuture(ConsentError.CONCURRENT_CHANGE.exception(failure.getMessage()));
    }
    return Future.failedFuture(failure);
  }
}

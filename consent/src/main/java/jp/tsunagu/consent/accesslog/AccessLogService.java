package jp.tsunagu.consent.accesslog;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * "Who read my data": appends every release of a citizen's data to the citizen's hash chain, lets
 * the citizen read their own entries, and lets an auditor verify chains.
 *
 * <p>One chain per citizen: an append locks only that citizen's head row, so appends for different
 * citizens run in parallel, while appends for one citizen are serialised and their order is the
 * chain's order. A citizen reads, and an auditor checks, one chain without reading anyone else's.
 */
public final class AccessLogService {
  private static final int PAGE = 500;

  private final Pool pool;
  private final AccessLogRepository log;
  private final Clock clock;

  public AccessLogService(Pool pool, AccessLogRepository log, Clock clock) {
    this.pool = pool;
    this.log = log;
    this.clock = clock;
  }

  /** Appends {@code event} in its own transaction. */
  public Future<AccessLogEntry> append(AccessEvent event) {
    return pool.withTransaction(conn -> append(conn, event));
  }

  /** Appends {@code event} inside the caller's transaction. */
  public Future<AccessLogEntry> append(SqlConnection conn, AccessEvent event) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    List<String> items = event.items().stream().sorted().toList();
    return log.lockHead(conn, event.citizenId()).compose(head -> {
      long seq = head.seq() + 1;
      byte[] hash = AccessChain.hash(head.headHash(), event.citizenId(), seq, event.tenantId(), event.serviceId(),
          event.kind(), items, event.purpose(), event.consentId(), now);
      var entry = new AccessLogEntry(event.citizenId(), seq, event.tenantId(), event.serviceId(), event.kind(),
          items, event.purpose(), event.consentId(), now, head.headHash(), hash);
      return log.insert(conn, entry)
          .compose(v -> log.moveHead(conn, new ChainHead(event.citizenId(), seq, hash)))
          .map(entry);
    });
  }

  /** A page of the citizen's own entries, oldest first, from {@code fromSeq}. */
  public Future<List<AccessLogEntry>> entries(String citizenId, long fromSeq, int limit) {
    return log.entries(pool, citizenId, fromSeq, Math.min(limit, PAGE));
  }

  /** Checks one citizen's whole chain against itself and its head, in one snapshot. */
  public Future<ChainVerification> verify(String citizenId) {
    return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute()
        .compose(v -> readAll(conn, citizenId, 1, new ArrayList<>()))
        .compose(entries -> log.head(conn, citizenId)
            .map(head -> ChainVerifier.verify(citizenId, entries, head))));
  }

  /**
   * Checks one chain as {@link #verify(String)} does, and that it still holds the entry
   * {@code checkpoint} recorded: a chain rewritten consistently from an earlier entry on, or cut
   * back before the checkpoint, passes the hash checks but not this one.
   */
  public Future<ChainVerification> verify(ChainHead checkpoint) {
    String citizenId = checkpoint.citizenId();
    return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute()
        .compose(v -> readAll(conn, citizenId, 1, new ArrayList<>()))
        .compose(entries -> log.head(conn, citizenId)
            .map(head -> ChainVerifier.verify(citizenId, entries, head, checkpoint))));
  }

  /** The citizen's chain head now (seq 0 and the genesis hash for an empty chain). */
  public Future<ChainHead> head(String citizenId) {
    return log.head(pool, citizenId).map(h -> h.orElse(new ChainHead(citizenId, 0, AccessChain.genesis())));
  }

  /** Checks every chain; returns the broken ones (empty when all are intact). */
  public Future<List<ChainVerification>> verifyAll() {
    return verifyFrom("", new ArrayList<>());
  }

  private Future<List<ChainVerification>> verifyFrom(String after, List<ChainVerification> broken) {
    return log.citizens(pool, after, PAGE).compose(ids -> {
      if (ids.isEmpty()) {
        return Future.succeededFuture(broken);
      }
      Future<Void> chain = Future.succeededFuture();
      for (String id : ids) {
        chain = chain.compose(v -> verify(id)).map(result -> {
          if (!result.intact()) {
            broken.add(result);
          }
          return null;
        });
      }
      return chain.compose(v -> verifyFrom(ids.getLast(), broken));
    });
  }

  private Future<List<AccessLogEntry>> readAll(SqlConnection conn, String citizenId, long from, List<AccessLogEntry> acc) {
    return log.entries(conn, citizenId, from, PAGE).compose(page -> {
      acc.addAll(page);
      return page.size() < PAGE
          ? Future.succeededFuture(acc)
          : readAll(conn, citizenId, page.getLast().seq() + 1, acc);
    });
  }
}

package jp.tsunagu.consent.withdrawal;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Works the Security Event Token outbox: claims due entries (safe with several members running
 * it), delivers each, and records the outcome — delivered, retry after the policy's backoff, or
 * failed (rejected, or out of attempts). Delivery is at least once; receivers deduplicate by
 * {@code jti}. The platform calls {@link #dispatchDue()} periodically.
 */
public final class SetDispatcher {
  private final Pool pool;
  private final SetOutboxRepository outbox;
  private final SetSender sender;
  private final RetryPolicy policy;
  private final Clock clock;
  private final Duration lease;
  private final int batchSize;

  public SetDispatcher(Pool pool, SetOutboxRepository outbox, SetSender sender, RetryPolicy policy, Clock clock,
      Duration lease, int batchSize) {
    this.pool = pool;
    this.outbox = outbox;
    this.sender = sender;
    this.policy = policy;
    this.clock = clock;
    this.lease = lease;
    this.batchSize = batchSize;
  }

  /** Delivers what is due now; the report counts the outcomes. */
  public Future<DispatchReport> dispatchDue() {
    Instant now = now();
    return outbox.claimDue(pool, now, now.plus(lease), batchSize).compose(this::deliverAll);
  }

  private Future<DispatchReport> deliverAll(List<OutboxEntry> claimed) {
    List<Future<SetDelivery>> outcomes = claimed.stream().map(this::deliverOne).toList();
    return Future.join(outcomes).transform(done -> Future.succeededFuture(DispatchReport.of(outcomes)));
  }

  private Future<SetDelivery> deliverOne(OutboxEntry entry) {
    return sender.deliver(entry.endpoint().orElseThrow(), entry.setJws())
        .recover(failure -> Future.succeededFuture(new SetDelivery.Retry(String.valueOf(failure.getMessage()))))
        .compose(outcome -> record(entry, outcome).map(outcome));
  }

  private Future<Void> record(OutboxEntry entry, SetDelivery outcome) {
    return switch (outcome) {
      case SetDelivery.Delivered d -> outbox.markDelivered(pool, entry.id(), now());
      case SetDelivery.Rejected r -> outbox.markFailed(pool, entry.id(), r.reason());
      case SetDelivery.Retry r -> policy.exhausted(entry.attempts())
          ? outbox.markFailed(pool, entry.id(), "gave up after " + entry.attempts() + " attempts: " + r.reason())
          : outbox.markRetry(pool, entry.id(), now().plus(policy.delayAfter(entry.attempts())), r.reason());
    };
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** Outcomes of one dispatch round. */
  public record DispatchReport(int delivered, int retrying, int failed, int errors) {
    static DispatchReport of(List<Future<SetDelivery>> outcomes) {
      int delivered = 0;
      int retrying = 0;
      int failed = 0;
      int errors = 0;
      for (Future<SetDelivery> f : outcomes) {
        if (f.failed()) {
          errors++;
        } else {
          switch (f.result()) {
            case SetDelivery.Delivered d -> delivered++;
            case SetDelivery.Retry r -> retrying++;
            case SetDelivery.Rejected r -> failed++;
          }
        }
      }
      return new DispatchReport(delivered, retrying, failed, errors);
    }
  }
}

package jp.tsunagu.consent.decision;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import jp.tsunagu.consent.ConsentAddresses;
import jp.tsunagu.consent.ConsentError;

/**
 * Invalidates over the (clustered) event bus: one request to every member's address
 * {@code consent.decision-cache.<memberId>}, completing when all have replied.
 *
 * <p>Protocol: each member registers {@link DecisionCacheConsumer} under its own id and waits for
 * the registration to complete before its gate answers anything. A member listed by
 * {@code members} with no consumer registered therefore has no cache, and counts as done. A
 * member that does not reply within {@code timeout} makes the invalidation fail with
 * {@code INVALIDATION_INCOMPLETE}; the change itself is already committed, and the gate's
 * maximum entry age bounds how long such a member can answer from a stale entry.
 *
 * <p>On a Hazelcast cluster, {@code members} is {@code clusterManager::getNodes} and each member's
 * id is {@code clusterManager.getNodeId()}.
 */
public final class EventBusDecisionCacheInvalidator implements DecisionCacheInvalidator {
  private final Vertx vertx;
  private final Supplier<? extends Collection<String>> members;
  private final DeliveryOptions options;

  public EventBusDecisionCacheInvalidator(Vertx vertx, Supplier<? extends Collection<String>> members, Duration timeout) {
    this.vertx = vertx;
    this.members = members;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  @Override
  public Future<Void> invalidate(Invalidation invalidation) {
    var body = invalidation.toJson();
    List<Future<Void>> replies = members.get().stream()
        .map(member -> vertx.eventBus().request(ConsentAddresses.decisionCache(member), body, options)
            .<Void>mapEmpty()
            .recover(EventBusDecisionCacheInvalidator::noHandlerMeansNoCache))
        .toList();
    return Future.all(replies).<Void>mapEmpty().recover(failure -> Future.failedFuture(
        ConsentError.INVALIDATION_INCOMPLETE.exception("decision caches not confirmed: " + failure.getMessage())));
  }

  private static Future<Void> noHandlerMeansNoCache(Throwable failure) {
    if (failure instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(failure);
  }
}

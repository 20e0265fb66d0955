package jp.tsunagu.consent.decision;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import jp.tsunagu.consent.ConsentAddresses;

/** Receives invalidations for one member and replies once its cache has dropped them. */
public final class DecisionCacheConsumer {
  private DecisionCacheConsumer() {}

  /**
   * Registers {@code listener} at {@code consent.decision-cache.<memberId>}; the future completes
   * when the registration is visible to the cluster. Serve decisions only after that.
   */
  public static Future<MessageConsumer<JsonObject>> register(Vertx vertx, String memberId, DecisionCacheListener listener) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(ConsentAddresses.decisionCache(memberId), message -> {
      listener.invalidateLocally(Invalidation.fromJson(message.body()));
      message.reply(null);
    });
    return consumer.completion().map(consumer);
  }
}

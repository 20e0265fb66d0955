package jp.tsunagu.platform.notify;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import jp.tsunagu.platform.notify.MatchRepository.Recipient;

/**
 * After a notice's notifications are committed: wakes every node's senders and sends each
 * recipient's live address its notification, a slice at a time so that a large fan-out never
 * holds the event loop.
 */
final class LiveFanOut {
  private static final int SLICE = 500;

  private LiveFanOut() {}

  /** {@code notification} is every recipient's message but its id. */
  static void publish(Vertx vertx, List<Recipient> recipients, JsonObject notification) {
    if (recipients.isEmpty()) {
      return;
    }
    vertx.eventBus().publish(NotifyAddresses.NOTICE_MATCHED, new JsonObject().put("recipients", recipients.size()));
    slice(vertx, recipients, notification, 0);
  }

  private static void slice(Vertx vertx, List<Recipient> recipients, JsonObject notification, int from) {
    int to = Math.min(recipients.size(), from + SLICE);
    for (Recipient r : recipients.subList(from, to)) {
      vertx.eventBus().publish(NotifyAddresses.inbox(r.accountId()), notification.copy().put("id", r.notificationId()));
    }
    if (to < recipients.size()) {
      vertx.runOnContext(v -> slice(vertx, recipients, notification, to));
    }
  }
}

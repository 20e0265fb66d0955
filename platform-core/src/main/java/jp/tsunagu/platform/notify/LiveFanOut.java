package jp.tsunagu.platform.notify;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import jp.tsunagu.platform.notify.MatchRepository.Recipient;

/**
 * Announces committed notifications to every node's live streams ({@link LiveConnections}): a few
 * messages per notice, whatever its size. Call only after the notifications are committed, so a
 * citizen never sees live what could still be rolled back.
 */
final class LiveFanOut {
  /** Up to this many recipients travel in the message; past it, nodes look their own up. */
  static final int INLINE = 2_000;

  private LiveFanOut() {}

  /** The listed recipients' notifications are committed (not necessarily the whole notice): nodes serve the local ones. */
  static void recipients(Vertx vertx, long noticeId, List<Recipient> recipients, JsonObject notification) {
    for (int from = 0; from < recipients.size(); from += INLINE) {
      JsonArray pairs = new JsonArray();
      for (Recipient r : recipients.subList(from, Math.min(recipients.size(), from + INLINE))) {
        pairs.add(new JsonArray().add(r.notificationId()).add(r.accountId().toString()));
      }
      vertx.eventBus().publish(NotifyAddresses.NOTICE_LIVE, new JsonObject().put("noticeId", noticeId)
          .put("notification", notification).put("recipients", pairs));
    }
  }

  /**
   * The whole notice is committed; {@code written} are the recipients written in its last
   * transaction. Small notices carry them; large ones let each node read its own. Also wakes the
   * channel senders.
   */
  static void committed(Vertx vertx, long noticeId, List<Recipient> written, int total, JsonObject notification) {
    boolean inline = written.size() <= INLINE;
    if (inline) {
      recipients(vertx, noticeId, written, notification);
    }
    vertx.eventBus().publish(NotifyAddresses.NOTICE_COMMITTED, new JsonObject().put("noticeId", noticeId)
        .put("notification", notification).put("lookup", !inline));
    if (total > 0) {
      vertx.eventBus().publish(NotifyAddresses.NOTICE_MATCHED, new JsonObject().put("noticeId", noticeId).put("recipients", total));
    }
  }
}

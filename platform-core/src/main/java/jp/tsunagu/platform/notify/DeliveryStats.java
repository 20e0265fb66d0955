package jp.tsunagu.platform.notify;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Map;

/** Per-notice counters, added to by the senders in their own transactions (one statement per batch). */
final class DeliveryStats {
  private DeliveryStats() {}

  /** Adds counts per notice to the channel's {@code sent} or {@code failed} counter. */
  static Future<Void> add(SqlClient tx, String channel, Map<Long, Integer> perNotice, String counter) {
    if (perNotice.isEmpty()) {
      return Future.succeededFuture();
    }
    String column = switch (counter) {
      case "sent" -> "sent";
      case "failed" -> "failed";
      default -> throw new IllegalArgumentException(counter);
    };
    Long[] notices = perNotice.keySet().toArray(Long[]::new);
    Integer[] counts = perNotice.values().toArray(Integer[]::new);
    return tx.preparedQuery("INSERT INTO notice_stats (notice_id, channel, " + column + ") "
            + "SELECT n, $1, c FROM unnest($2::bigint[], $3::int[]) AS u(n, c) "
            + "ON CONFLICT (notice_id, channel) DO UPDATE SET " + column + " = notice_stats." + column + " + EXCLUDED." + column)
        .execute(Tuple.of(channel, notices, counts)).mapEmpty();
  }
}

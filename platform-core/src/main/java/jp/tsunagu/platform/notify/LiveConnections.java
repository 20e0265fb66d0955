package jp.tsunagu.platform.notify;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's live inbox streams, by citizen, and the node's side of the per-notice live events.
 * A notice is announced once to the whole cluster, never once per recipient: either with the
 * recipients in the message ({@link NotifyAddresses#NOTICE_LIVE}, used for the connected citizens
 * the matcher wrote first and for small notices), each node picking the ones connected to it; or
 * by notice id alone ({@link NotifyAddresses#NOTICE_COMMITTED}, after a large commit), each node
 * then reading the notification ids of its own connected citizens from PostgreSQL in one query.
 *
 * <p>Which citizens are connected where is also written to {@code live_presence} (with this
 * node's heartbeat row in {@code live_node}), so the matcher can write their notifications in a
 * small first transaction. The row is a hint, not the truth: a missing row only means the citizen
 * is served after the bulk commit; a stale one only means their notification is written early.
 */
public final class LiveConnections {
  private static final Logger LOG = LoggerFactory.getLogger(LiveConnections.class);
  private static final long HEARTBEAT_MILLIS = 30_000;
  private static final int LOOKUP_SLICE = 5_000;

  /** One open stream: where it runs and how it writes a notification (it drops what it sent already). */
  interface Stream {
    Context context();

    void send(JsonObject notification);
  }

  private final Vertx vertx;
  private final Pool pool;
  private final String nodeId;
  private final Map<UUID, Set<Stream>> streams = new ConcurrentHashMap<>();
  /** Per notice, the citizens this node served from the recipients message, until the notice's commit event. */
  private final Map<Long, Set<UUID>> servedEarly = new ConcurrentHashMap<>();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private long heartbeat = -1;

  LiveConnections(Vertx vertx, Pool pool, String nodeId) {
    this.vertx = vertx;
    this.pool = pool;
    this.nodeId = nodeId;
  }

  Future<Void> start() {
    consumers.add(vertx.eventBus().consumer(NotifyAddresses.NOTICE_LIVE, m -> onRecipients(m.body())));
    consumers.add(vertx.eventBus().consumer(NotifyAddresses.NOTICE_COMMITTED, m -> onCommitted(m.body())));
    heartbeat = vertx.setPeriodic(HEARTBEAT_MILLIS, id -> beat().onFailure(err -> LOG.warn("live presence heartbeat failed: {}", err.toString())));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).compose(v -> beat());
  }

  private Future<Void> beat() {
    return pool.preparedQuery("INSERT INTO live_node (node_id) VALUES ($1) ON CONFLICT (node_id) DO UPDATE SET seen_at = now()")
        .execute(Tuple.of(nodeId))
        .compose(v -> pool.query("DELETE FROM live_node WHERE seen_at < now() - interval '10 minutes'").execute()).mapEmpty();
  }

  /** Live streams on this node. */
  int count() {
    return streams.values().stream().mapToInt(Set::size).sum();
  }

  /** Adds a stream; completes once the citizen's presence is recorded (a failure to record it only delays their live copies). */
  Future<Void> add(UUID accountId, Stream stream) {
    boolean first = streams.compute(accountId, (k, set) -> {
      Set<Stream> s = set == null ? new CopyOnWriteArraySet<>() : set;
      s.add(stream);
      return s;
    }).size() == 1;
    if (!first) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery("INSERT INTO live_presence (node_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(nodeId, accountId)).<Void>mapEmpty()
        .recover(err -> {
          LOG.warn("recording a live stream's presence failed: {}", err.toString());
          return Future.succeededFuture();
        });
  }

  void remove(UUID accountId, Stream stream) {
    boolean last = streams.computeIfPresent(accountId, (k, set) -> {
      set.remove(stream);
      return set.isEmpty() ? null : set;
    }) == null;
    if (last) {
      pool.preparedQuery("DELETE FROM live_presence WHERE node_id = $1 AND account_id = $2").execute(Tuple.of(nodeId, accountId))
          .onFailure(err -> LOG.warn("removing a live stream's presence failed: {}", err.toString()));
    }
  }

  /** {@code {noticeId, notification, recipients: [[notification id, account id], …]}}: writes to the local ones. */
  private void onRecipients(JsonObject body) {
    long noticeId = body.getLong("noticeId");
    JsonObject notification = body.getJsonObject("notification");
    Set<UUID> served = null;
    for (Object o : body.getJsonArray("recipients")) {
      JsonArray pair = (JsonArray) o;
      UUID account = UUID.fromString(pair.getString(1));
      Set<Stream> local = streams.get(account);
      if (local != null) {
        deliver(local, notification.copy().put("id", pair.getLong(0)));
        if (served == null) {
          served = servedEarly.computeIfAbsent(noticeId, k -> ConcurrentHashMap.newKeySet());
        }
        served.add(account);
      }
    }
  }

  /**
   * {@code {noticeId, notification, lookup}}: the notice committed; unless its recipients all came
   * in messages, serves every local citizen not served yet, from PostgreSQL.
   */
  private void onCommitted(JsonObject body) {
    long noticeId = body.getLong("noticeId");
    Set<UUID> served = servedEarly.remove(noticeId);
    if (!body.getBoolean("lookup", true)) {
      return; // every recipient was in the recipients messages
    }
    List<UUID> waiting = new ArrayList<>();
    for (UUID account : streams.keySet()) {
      if (served == null || !served.contains(account)) {
        waiting.add(account);
      }
    }
    JsonObject notification = body.getJsonObject("notification");
    for (int from = 0; from < waiting.size(); from += LOOKUP_SLICE) {
      List<UUID> slice = waiting.subList(from, Math.min(waiting.size(), from + LOOKUP_SLICE));
      pool.preparedQuery("SELECT id, account_id FROM notification WHERE notice_id = $1 AND account_id = ANY($2)")
          .execute(Tuple.of(noticeId).addArrayOfUUID(slice.toArray(UUID[]::new)))
          .onSuccess(rows -> {
            for (Row r : rows) {
              Set<Stream> local = streams.get(r.getUUID(1));
              if (local != null) {
                deliver(local, notification.copy().put("id", r.getLong(0)));
              }
            }
          })
          .onFailure(err -> LOG.warn("reading notice {}'s live recipients failed (they get it on reconnect or reload): {}",
              noticeId, err.toString()));
    }
  }

  private static void deliver(Set<Stream> local, JsonObject notification) {
    for (Stream s : local) {
      s.context().runOnContext(v -> s.send(notification));
    }
  }

  Future<Void> stop() {
    if (heartbeat >= 0) {
      vertx.cancelTimer(heartbeat);
    }
    List<Future<Void>> gone = new ArrayList<>();
    consumers.forEach(c -> gone.add(c.unregister()));
    return Future.join(gone).<Void>mapEmpty().recover(e -> Future.succeededFuture())
        .compose(v -> pool.preparedQuery("DELETE FROM live_node WHERE node_id = $1").execute(Tuple.of(nodeId)).<Void>mapEmpty())
        .recover(e -> Future.succeededFuture());
  }
}

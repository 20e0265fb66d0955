package jp.tsunagu.platform.notify;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers due Web Push deliveries (RFC 8030) to every active push subscription of the citizen:
 * claims rows with a lease like {@link WebhookSender}, encrypts the notification for each browser
 * (RFC 8291) on the {@code tsunagu-push-crypto} pool, POSTs it with a VAPID authorization
 * (RFC 8292), {@code TTL} and {@code Urgency}, and records the outcome: 201/202 sent; 404 and 410
 * end the subscription; 429, 5xx and network errors retry with backoff up to the last attempt.
 */
final class WebPushSender {
  private static final Logger LOG = LoggerFactory.getLogger(WebPushSender.class);
  private static final int BATCH = 200;
  private static final int TTL_SECONDS = 24 * 3600;

  private final Pool pool;
  private final WebClient client;
  private final WorkerExecutor crypto;
  private final Vapid vapid;
  private final long timeoutMillis;
  private final long retryBaseMillis;
  private final int maxAttempts;
  private final AtomicBoolean running = new AtomicBoolean();

  WebPushSender(Pool pool, WebClient client, WorkerExecutor crypto, Vapid vapid, long timeoutMillis, long retryBaseMillis,
                int maxAttempts) {
    this.pool = pool;
    this.client = client;
    this.crypto = crypto;
    this.vapid = vapid;
    this.timeoutMillis = timeoutMillis;
    this.retryBaseMillis = retryBaseMillis;
    this.maxAttempts = maxAttempts;
  }

  private record Target(UUID subscription, String endpoint, byte[] p256dh, byte[] auth) {}

  private record Due(long id, long noticeId, int attempts, JsonObject notification, List<Target> targets) {}

  /** Sends what is due, batch after batch until a batch comes back short; calls while one runs return at once. */
  Future<Integer> drain() {
    if (!running.compareAndSet(false, true)) {
      return Future.succeededFuture(0);
    }
    return rounds(0).onComplete(ar -> running.set(false));
  }

  private Future<Integer> rounds(int sentSoFar) {
    return claim().compose(batch -> sendAll(batch).compose(sent -> batch.size() == BATCH ? rounds(sentSoFar + sent)
        : Future.succeededFuture(sentSoFar + sent)));
  }

  private Future<List<Due>> claim() {
    double leaseSeconds = (timeoutMillis * 2 + 5000) / 1000.0;
    return pool.preparedQuery("WITH claimed AS (UPDATE delivery SET attempts = attempts + 1, "
            + "next_try_at = now() + make_interval(secs => $1) WHERE id IN (SELECT id FROM delivery "
            + "WHERE channel = 'webpush' AND sent_at IS NULL AND failed_at IS NULL AND next_try_at <= now() "
            + "ORDER BY next_try_at, id LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING id, notice_id, attempts, account_id, notification_id) "
            + "SELECT c.id, c.notice_id, c.attempts, n.id AS notification_id, o.tenant_code, o.kind, o.title, o.url, "
            + "s.id AS subscription_id, s.endpoint, s.p256dh, s.auth FROM claimed c "
            + "JOIN notification n ON n.id = c.notification_id JOIN notice o ON o.id = n.notice_id "
            + "LEFT JOIN push_subscription s ON s.account_id = c.account_id AND s.disabled_at IS NULL ORDER BY c.id")
        .execute(Tuple.of(leaseSeconds, BATCH))
        .map(rows -> {
          Map<Long, Due> out = new java.util.LinkedHashMap<>();
          for (Row r : rows) {
            Due d = out.computeIfAbsent(r.getLong("id"), id -> new Due(id, r.getLong("notice_id"), r.getInteger("attempts"),
                new JsonObject().put("id", r.getLong("notification_id")).put("tenantCode", r.getString("tenant_code"))
                    .put("kind", r.getString("kind")).put("title", r.getString("title")).put("url", r.getString("url")),
                new ArrayList<>()));
            if (r.getUUID("subscription_id") != null) {
              d.targets().add(new Target(r.getUUID("subscription_id"), r.getString("endpoint"), r.getBuffer("p256dh").getBytes(),
                  r.getBuffer("auth").getBytes()));
            }
          }
          return new ArrayList<>(out.values());
        });
  }

  /** What became of one delivery: sent, failed for good (with the reason), or to retry after a backoff. */
  private record Outcome(Due due, boolean sent, String error, double retryInSeconds) {}

  private Future<Integer> sendAll(List<Due> batch) {
    List<Future<Outcome>> sends = new ArrayList<>();
    batch.forEach(d -> sends.add(send(d).recover(err -> {
      LOG.warn("web push delivery {} failed: {}", d.id(), err.toString());
      return Future.succeededFuture(d.attempts() < maxAttempts ? new Outcome(d, false, null, retryBaseMillis / 1000.0)
          : new Outcome(d, false, "could not be sent", 0));
    })));
    return Future.join(sends).transform(ar -> record(sends.stream().filter(Future::succeeded).map(Future::result).toList()));
  }

  /** Sent when at least one of the citizen's browsers took it; retried while any failed for a passing reason. */
  private Future<Outcome> send(Due d) {
    if (d.targets().isEmpty()) {
      return Future.succeededFuture(new Outcome(d, false, "no active push subscription", 0));
    }
    List<Future<Integer>> pushes = new ArrayList<>();
    byte[] payload = d.notification().encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (Target t : d.targets()) {
      pushes.add(crypto.executeBlocking(() -> WebPushCrypto.encrypt(payload, t.p256dh(), t.auth()), false)
          .compose(body -> client.postAbs(t.endpoint()).timeout(timeoutMillis).followRedirects(false)
              .putHeader("Content-Encoding", "aes128gcm").putHeader("Content-Type", "application/octet-stream")
              .putHeader("TTL", String.valueOf(TTL_SECONDS)).putHeader("Urgency", "normal")
              .putHeader("Authorization", vapid.authorization(t.endpoint(), Instant.now()))
              .sendBuffer(Buffer.buffer(body)))
          .transform(ar -> gone(t, ar.succeeded() ? ar.result() : null)));
    }
    return Future.join(pushes).transform(ar -> {
      boolean delivered = pushes.stream().anyMatch(f -> f.succeeded() && f.result() >= 200 && f.result() < 300);
      boolean retriable = pushes.stream().anyMatch(f -> f.failed() || f.result() == 0 || f.result() == 429 || f.result() >= 500);
      if (delivered) {
        return Future.succeededFuture(new Outcome(d, true, null, 0));
      }
      if (retriable && d.attempts() < maxAttempts) {
        double backoff = Math.min(3_600_000.0, retryBaseMillis * Math.pow(2, d.attempts() - 1)) / 1000.0;
        return Future.succeededFuture(new Outcome(d, false, null, backoff));
      }
      return Future.succeededFuture(new Outcome(d, false, "not accepted by any push service", 0));
    });
  }

  /** Records a batch's outcomes in one transaction: a statement each for sent, failed and retried, and the counters. */
  private Future<Integer> record(List<Outcome> outcomes) {
    List<Long> sent = new ArrayList<>();
    List<Long> failed = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<Long> retried = new ArrayList<>();
    List<Double> backoffs = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (o.sent()) {
        sent.add(o.due().id());
      } else if (o.error() != null) {
        failed.add(o.due().id());
        errors.add(o.error());
      } else {
        retried.add(o.due().id());
        backoffs.add(o.retryInSeconds());
      }
    }
    if (outcomes.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return pool.withTransaction(tx -> tx.preparedQuery("UPDATE delivery SET sent_at = now(), last_error = NULL "
                + "WHERE id = ANY($1) AND sent_at IS NULL RETURNING notice_id").execute(Tuple.tuple().addArrayOfLong(sent.toArray(Long[]::new)))
            .compose(rows -> DeliveryStats.add(tx, "webpush", perNotice(rows), "sent"))
            .compose(v -> tx.preparedQuery("UPDATE delivery d SET failed_at = now(), last_error = u.e FROM unnest($1::bigint[], $2::text[]) "
                    + "AS u(i, e) WHERE d.id = u.i AND d.failed_at IS NULL RETURNING d.notice_id")
                .execute(Tuple.tuple().addArrayOfLong(failed.toArray(Long[]::new)).addArrayOfString(errors.toArray(String[]::new))))
            .compose(rows -> DeliveryStats.add(tx, "webpush", perNotice(rows), "failed"))
            .compose(v -> tx.preparedQuery("UPDATE delivery d SET last_error = 'push service unavailable', "
                    + "next_try_at = now() + make_interval(secs => u.b) FROM unnest($1::bigint[], $2::float8[]) AS u(i, b) WHERE d.id = u.i")
                .execute(Tuple.tuple().addArrayOfLong(retried.toArray(Long[]::new)).addArrayOfDouble(backoffs.toArray(Double[]::new)))))
        .map(sent.size());
  }

  private static Map<Long, Integer> perNotice(io.vertx.sqlclient.RowSet<Row> rows) {
    Map<Long, Integer> out = new java.util.HashMap<>();
    rows.forEach(r -> out.merge(r.getLong(0), 1, Integer::sum));
    return out;
  }

  /** The push service's status (0 for no answer); a subscription the service no longer knows is ended. */
  private Future<Integer> gone(Target t, HttpResponse<Buffer> response) {
    int status = response == null ? 0 : response.statusCode();
    if (status == 404 || status == 410) {
      return pool.preparedQuery("UPDATE push_subscription SET disabled_at = now() WHERE id = $1 AND disabled_at IS NULL")
          .execute(Tuple.of(t.subscription())).map(status);
    }
    return Future.succeededFuture(status);
  }
}

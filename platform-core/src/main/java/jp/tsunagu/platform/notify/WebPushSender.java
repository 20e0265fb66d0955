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
  private static final int BATCH = 50;
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

  Future<Integer> drain() {
    if (!running.compareAndSet(false, true)) {
      return Future.succeededFuture(0);
    }
    return claim().compose(this::sendAll).onComplete(ar -> running.set(false));
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

  private Future<Integer> sendAll(List<Due> batch) {
    List<Future<Boolean>> sends = new ArrayList<>();
    batch.forEach(d -> sends.add(send(d).recover(err -> {
      LOG.warn("web push delivery {} failed: {}", d.id(), err.toString());
      return Future.succeededFuture(false);
    })));
    return Future.join(sends).map(v -> (int) sends.stream().filter(f -> Boolean.TRUE.equals(f.result())).count());
  }

  /** Sent when at least one of the citizen's browsers took it; retried while any failed for a passing reason. */
  private Future<Boolean> send(Due d) {
    if (d.targets().isEmpty()) {
      return finish(d, false, "no active push subscription").map(false);
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
        return finish(d, true, null).map(true);
      }
      if (retriable && d.attempts() < maxAttempts) {
        double backoff = Math.min(3_600_000.0, retryBaseMillis * Math.pow(2, d.attempts() - 1)) / 1000.0;
        return pool.preparedQuery("UPDATE delivery SET last_error = $2, next_try_at = now() + make_interval(secs => $3) WHERE id = $1")
            .execute(Tuple.of(d.id(), "push service unavailable", backoff)).map(false);
      }
      return finish(d, false, "not accepted by any push service").map(false);
    });
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

  private Future<Void> finish(Due d, boolean sent, String error) {
    return pool.withTransaction(tx -> tx.preparedQuery(sent
                ? "UPDATE delivery SET sent_at = now(), last_error = NULL WHERE id = $1 AND sent_at IS NULL AND $2::text IS NULL"
                : "UPDATE delivery SET failed_at = now(), last_error = $2 WHERE id = $1 AND failed_at IS NULL")
            .execute(Tuple.of(d.id(), error))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture()
            : DeliveryStats.add(tx, "webpush", Map.of(d.noticeId(), 1), sent ? "sent" : "failed")));
  }
}

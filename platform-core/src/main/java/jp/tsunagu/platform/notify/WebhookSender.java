package jp.tsunagu.platform.notify;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers due webhook deliveries: every node claims rows with a lease ({@code FOR UPDATE SKIP
 * LOCKED}, attempt counted, {@code next_try_at} pushed past the timeout), POSTs the signed
 * notification with the delivery's idempotency key and a timeout, and records the outcome: sent;
 * retried with exponential backoff (5xx, 408, 429, timeouts, refused connections); failed for
 * good after the last attempt or on another 4xx; an endpoint that answers 410 is disabled. While
 * an endpoint's circuit breaker is open its deliveries wait without spending attempts. A crash
 * between sending and recording leaves the row to be sent again with the same idempotency key.
 */
final class WebhookSender {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
  private static final int BATCH = 50;

  private final Pool pool;
  private final WebClient client;
  private final CircuitBreakers breakers;
  private final long timeoutMillis;
  private final long retryBaseMillis;
  private final int maxAttempts;
  private final AtomicBoolean running = new AtomicBoolean();

  WebhookSender(Pool pool, WebClient client, CircuitBreakers breakers, long timeoutMillis, long retryBaseMillis, int maxAttempts) {
    this.pool = pool;
    this.client = client;
    this.breakers = breakers;
    this.timeoutMillis = timeoutMillis;
    this.retryBaseMillis = retryBaseMillis;
    this.maxAttempts = maxAttempts;
  }

  private record Due(long id, int attempts, String url, byte[] secret, java.util.UUID endpointId, JsonObject notification) {}

  Future<Integer> drain() {
    if (!running.compareAndSet(false, true)) {
      return Future.succeededFuture(0);
    }
    return claim().compose(this::sendAll).onComplete(ar -> running.set(false));
  }

  private Future<List<Due>> claim() {
    long leaseMillis = timeoutMillis * 2 + 5000;
    return pool.preparedQuery("WITH claimed AS (UPDATE delivery SET attempts = attempts + 1, "
            + "next_try_at = now() + make_interval(secs => $1) WHERE id IN (SELECT id FROM delivery "
            + "WHERE channel = 'webhook' AND sent_at IS NULL AND failed_at IS NULL AND next_try_at <= now() "
            + "ORDER BY next_try_at, id LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING id, attempts, account_id, notification_id) "
            + "SELECT c.id, c.attempts, w.id AS endpoint_id, w.url, w.secret, n.id AS notification_id, n.created_at, "
            + "o.tenant_code, o.kind, o.page_id, o.title, o.url AS page_url, o.summary FROM claimed c "
            + "JOIN notification n ON n.id = c.notification_id JOIN notice o ON o.id = n.notice_id "
            + "LEFT JOIN webhook_endpoint w ON w.account_id = c.account_id AND w.disabled_at IS NULL")
        .execute(Tuple.of(leaseMillis / 1000.0, BATCH))
        .map(rows -> {
          List<Due> out = new ArrayList<>();
          for (Row r : rows) {
            JsonObject n = new JsonObject().put("id", r.getLong("notification_id")).put("tenantCode", r.getString("tenant_code"))
                .put("kind", r.getString("kind")).put("pageId", r.getUUID("page_id") == null ? null : r.getUUID("page_id").toString())
                .put("title", r.getString("title")).put("url", r.getString("page_url")).put("summary", r.getString("summary"))
                .put("createdAt", r.getOffsetDateTime("created_at").withOffsetSameInstant(ZoneOffset.UTC).toString());
            out.add(new Due(r.getLong("id"), r.getInteger("attempts"), r.getString("url"),
                r.getBuffer("secret") == null ? null : r.getBuffer("secret").getBytes(),
                r.getUUID("endpoint_id"), n));
          }
          return out;
        });
  }

  private Future<Integer> sendAll(List<Due> batch) {
    List<Future<Boolean>> sends = new ArrayList<>();
    batch.forEach(d -> sends.add(send(d).recover(err -> {
      LOG.warn("recording webhook delivery {} failed: {}", d.id(), err.toString());
      return Future.succeededFuture(false);
    })));
    return Future.join(sends).map(v -> (int) sends.stream().filter(f -> Boolean.TRUE.equals(f.result())).count());
  }

  private Future<Boolean> send(Due d) {
    if (d.endpointId() == null) {
      return fail(d, "no active webhook endpoint").map(false);
    }
    String key = d.endpointId().toString();
    long blocked = breakers.blockedUntil(key);
    if (blocked > 0) {
      // not attempted: give the attempt back and wait for the breaker
      return pool.preparedQuery("UPDATE delivery SET attempts = attempts - 1, last_error = 'circuit open', "
              + "next_try_at = to_timestamp($2 / 1000.0) WHERE id = $1")
          .execute(Tuple.of(d.id(), (double) blocked)).map(false);
    }
    Buffer body = Buffer.buffer(new JsonObject().put("id", "delivery-" + d.id()).put("notification", d.notification()).encode());
    long timestamp = System.currentTimeMillis() / 1000;
    return client.postAbs(d.url()).timeout(timeoutMillis).followRedirects(false)
        .putHeader("Content-Type", "application/json")
        .putHeader(WebhookSignature.TIMESTAMP, String.valueOf(timestamp))
        .putHeader(WebhookSignature.SIGNATURE, WebhookSignature.sign(d.secret(), timestamp, body.getBytes()))
        .putHeader(WebhookSignature.IDEMPOTENCY_KEY, "delivery-" + d.id())
        .putHeader("User-Agent", "Tsunagu-Webhook/1")
        .sendBuffer(body)
        .transform(ar -> outcome(d, key, ar.succeeded() ? ar.result() : null, ar.cause()));
  }

  private Future<Boolean> outcome(Due d, String endpoint, HttpResponse<Buffer> response, Throwable error) {
    int status = response == null ? 0 : response.statusCode();
    if (status >= 200 && status < 300) {
      breakers.succeeded(endpoint);
      return pool.withTransaction(tx -> tx.preparedQuery("UPDATE delivery SET sent_at = now(), last_error = NULL WHERE id = $1 "
              + "AND sent_at IS NULL RETURNING notice_id").execute(Tuple.of(d.id()))
          .compose(rows -> rows.size() == 0 ? Future.succeededFuture()
              : DeliveryStats.add(tx, "webhook", Map.of(rows.iterator().next().getLong(0), 1), "sent")))
          .map(true);
    }
    String reason = response == null ? String.valueOf(error.getMessage()) : "HTTP " + status;
    breakers.failed(endpoint);
    if (status == 410) {
      return pool.preparedQuery("UPDATE webhook_endpoint SET disabled_at = now() WHERE id = $1 AND disabled_at IS NULL")
          .execute(Tuple.of(d.endpointId())).compose(v -> fail(d, "endpoint gone (HTTP 410)")).map(false);
    }
    boolean retriable = response == null || status >= 500 || status == 408 || status == 429;
    if (!retriable || d.attempts() >= maxAttempts) {
      return fail(d, reason).map(false);
    }
    double backoff = Math.min(3_600_000.0, retryBaseMillis * Math.pow(2, d.attempts() - 1)) / 1000.0;
    return pool.preparedQuery("UPDATE delivery SET last_error = $2, next_try_at = now() + make_interval(secs => $3) WHERE id = $1")
        .execute(Tuple.of(d.id(), reason, backoff)).map(false);
  }

  private Future<Void> fail(Due d, String reason) {
    return pool.withTransaction(tx -> tx.preparedQuery("UPDATE delivery SET failed_at = now(), last_error = $2 WHERE id = $1 "
            + "AND failed_at IS NULL AND sent_at IS NULL RETURNING notice_id").execute(Tuple.of(d.id(), reason))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture()
            : DeliveryStats.add(tx, "webhook", Map.of(rows.iterator().next().getLong(0), 1), "failed")));
  }
}

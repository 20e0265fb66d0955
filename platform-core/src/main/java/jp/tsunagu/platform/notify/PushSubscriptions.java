package jp.tsunagu.platform.notify;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Base64;
import java.util.UUID;
import jp.tsunagu.platform.http.ProblemException;

/**
 * Browsers' push subscriptions (the JSON of {@code PushSubscription.toJSON()}): the endpoint must
 * be https (plain http only on loopback), {@code p256dh} a point of P-256 and {@code auth} 16
 * bytes, or the subscription is refused. Subscribing the same endpoint again replaces its keys.
 */
public final class PushSubscriptions {
  private final Pool pool;

  PushSubscriptions(Pool pool) {
    this.pool = pool;
  }

  public Future<JsonObject> subscribe(UUID accountId, String endpoint, String p256dh, String auth) {
    return jp.tsunagu.platform.http.Api.attempt(() -> {
      try {
        WebhookEndpoints.check(endpoint);
      } catch (ProblemException e) {
        throw ProblemException.badRequest("invalid-push-subscription", "endpoint: " + e.detail());
      }
      byte[] key = bytes("p256dh", p256dh);
      try {
        WebPushCrypto.decode(key);
      } catch (IllegalArgumentException e) {
        throw ProblemException.badRequest("invalid-push-subscription", "p256dh: " + e.getMessage());
      }
      byte[] secret = bytes("auth", auth);
      if (secret.length != 16) {
        throw ProblemException.badRequest("invalid-push-subscription", "auth: 16 bytes expected, got " + secret.length);
      }
      return pool.preparedQuery("INSERT INTO push_subscription (id, account_id, endpoint, p256dh, auth) VALUES ($1, $2, $3, $4, $5) "
              + "ON CONFLICT (account_id, endpoint) DO UPDATE SET p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth, disabled_at = NULL "
              + "RETURNING id, created_at")
          .execute(Tuple.of(UUID.randomUUID(), accountId, endpoint, Buffer.buffer(key), Buffer.buffer(secret)))
          .map(rows -> json(rows.iterator().next().getUUID(0), endpoint, rows.iterator().next().getOffsetDateTime(1)));
    });
  }

  public Future<JsonArray> list(UUID accountId) {
    return pool.preparedQuery("SELECT id, endpoint, created_at FROM push_subscription WHERE account_id = $1 AND disabled_at IS NULL "
        + "ORDER BY created_at").execute(Tuple.of(accountId)).map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            out.add(json(r.getUUID(0), r.getString(1), r.getOffsetDateTime(2)));
          }
          return out;
        });
  }

  public Future<Void> delete(UUID accountId, UUID id) {
    return pool.preparedQuery("UPDATE push_subscription SET disabled_at = now() WHERE id = $1 AND account_id = $2 "
        + "AND disabled_at IS NULL").execute(Tuple.of(id, accountId)).mapEmpty();
  }

  private static JsonObject json(UUID id, String endpoint, java.time.OffsetDateTime created) {
    return new JsonObject().put("id", id.toString()).put("endpoint", endpoint).put("createdAt", created.toString());
  }

  private static byte[] bytes(String field, String base64url) {
    try {
      return Base64.getUrlDecoder().decode(base64url.strip().replace('+', '-').replace('/', '_').replace("=", ""));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ProblemException.badRequest("invalid-push-subscription", field + " is not base64url");
    }
  }
}

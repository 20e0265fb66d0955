package jp.tsunagu.platform.notify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import jp.tsunagu.platform.http.ProblemException;

/**
 * A citizen's webhook endpoint (a chat-app relay such as a LINE official account bridge): one
 * active endpoint per citizen, https (plain http only to a loopback address), with a signing
 * secret shown once when it is created.
 */
public final class WebhookEndpoints {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Pool pool;

  WebhookEndpoints(Pool pool) {
    this.pool = pool;
  }

  /** Registers the endpoint (replacing an earlier one) and returns it with its secret. */
  public Future<JsonObject> create(UUID accountId, String url) {
    return jp.tsunagu.platform.http.Api.attempt(() -> {
      check(url);
      byte[] secret = new byte[32];
      RANDOM.nextBytes(secret);
      UUID id = UUID.randomUUID();
      return pool.withTransaction(tx -> tx.preparedQuery("UPDATE webhook_endpoint SET disabled_at = now() "
                  + "WHERE account_id = $1 AND disabled_at IS NULL").execute(Tuple.of(accountId))
              .compose(v -> tx.preparedQuery("INSERT INTO webhook_endpoint (id, account_id, url, secret) VALUES ($1, $2, $3, $4) "
                  + "RETURNING created_at").execute(Tuple.of(id, accountId, url, io.vertx.core.buffer.Buffer.buffer(secret)))))
          .map(rows -> new JsonObject().put("id", id.toString()).put("url", url)
              .put("secret", Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
              .put("createdAt", rows.iterator().next().getOffsetDateTime(0).toString()));
    });
  }

  public Future<JsonArray> list(UUID accountId) {
    return pool.preparedQuery("SELECT id, url, created_at FROM webhook_endpoint WHERE account_id = $1 AND disabled_at IS NULL "
            + "ORDER BY created_at").execute(Tuple.of(accountId))
        .map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            out.add(new JsonObject().put("id", r.getUUID(0).toString()).put("url", r.getString(1))
                .put("createdAt", r.getOffsetDateTime(2).toString()));
          }
          return out;
        });
  }

  /** Disables an endpoint; deleting one that is gone succeeds. */
  public Future<Void> delete(UUID accountId, UUID id) {
    return pool.preparedQuery("UPDATE webhook_endpoint SET disabled_at = now() WHERE id = $1 AND account_id = $2 "
        + "AND disabled_at IS NULL").execute(Tuple.of(id, accountId)).mapEmpty();
  }

  static void check(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      throw ProblemException.badRequest("invalid-webhook-url", "Not a URL: " + url);
    }
    if (uri.getHost() == null || uri.getFragment() != null || uri.getUserInfo() != null) {
      throw ProblemException.badRequest("invalid-webhook-url", "An absolute URL with a host, without user or fragment");
    }
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    boolean loopbackHttp = "http".equalsIgnoreCase(uri.getScheme()) && loopback(uri.getHost());
    if (!https && !loopbackHttp) {
      throw ProblemException.badRequest("invalid-webhook-url", "Webhooks are sent over https only");
    }
  }

  private static boolean loopback(String host) {
    if ("localhost".equalsIgnoreCase(host)) {
      return true;
    }
    try {
      return host.matches("[0-9.]+|\\[[0-9a-fA-F:]+\\]") && InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}

package jp.tsunagu.platform.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ending a sign-in session (OIDC Back-Channel Logout 1.0): the session's grants are revoked and a
 * logout token (type {@code logout+jwt}, with {@code sid} and the back-channel event) is queued for
 * every service the session signed in that registered a back-channel URI, in the same transaction:
 * also for a service whose grant was revoked before, and once per service and session. Every
 * node delivers due tokens; a lease keeps one delivery per token, failures are retried with
 * exponential backoff (10 attempts).
 */
public final class BackchannelLogout {
  private static final Logger LOG = LoggerFactory.getLogger(BackchannelLogout.class);
  static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
  private static final JOSEObjectType TYPE = new JOSEObjectType("logout+jwt");
  private static final int MAX_ATTEMPTS = 10;

  private final Pool pool;
  private final GrantRepository grants;
  private final ClientService clients;
  private final SigningKeys keys;
  private final Subjects subjects;
  private final WebClient web;
  private final String issuer;
  private final Clock clock;

  BackchannelLogout(Pool pool, GrantRepository grants, ClientService clients, SigningKeys keys, Subjects subjects, WebClient web,
                    String issuer, Clock clock) {
    this.pool = pool;
    this.grants = grants;
    this.clients = clients;
    this.keys = keys;
    this.subjects = subjects;
    this.web = web;
    this.issuer = issuer;
    this.clock = clock;
  }

  /** Ends the session {@code sid}: revokes its grants, queues the logout tokens, starts delivering. */
  public Future<Integer> endSession(String sid) {
    if (sid == null) {
      return Future.succeededFuture(0);
    }
    return pool.withTransaction(tx -> grants.revokeSession(tx, sid).compose(clientsOfSession -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (Map.Entry<String, UUID> e : clientsOfSession.entrySet()) {
            chain = chain.compose(n -> clients.find(e.getKey()).compose(c -> queue(tx, c, e.getValue(), sid).map(q -> n + q)));
          }
          return chain;
        }))
        .onSuccess(n -> {
          if (n > 0) {
            deliverDue();
          }
        });
  }

  private Future<Integer> queue(io.vertx.sqlclient.SqlClient tx, Optional<Client> client, UUID account, String sid) {
    if (client.isEmpty() || client.get().backchannelLogoutUri() == null) {
      return Future.succeededFuture(0);
    }
    Client c = client.get();
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).audience(c.clientId()).issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(120))).jwtID(UUID.randomUUID().toString()).claim("sid", sid)
        .claim("events", Map.of(EVENT, Map.of()));
    if (account != null) {
      claims.subject(subjects.of(c, account));
    }
    String token = keys.sign(c.idTokenAlg(), TYPE, claims.build());
    return tx.preparedQuery("INSERT INTO oidc_logout_delivery (client_id, uri, logout_token, sid) VALUES ($1, $2, $3, $4) "
            + "ON CONFLICT (client_id, sid) DO NOTHING")
        .execute(Tuple.of(c.clientId(), c.backchannelLogoutUri(), token, sid)).map(r -> r.rowCount());
  }

  /** One delivery round: claims due tokens under a lease and POSTs each to its service. */
  public Future<Void> deliverDue() {
    return pool.query("UPDATE oidc_logout_delivery SET leased_until = now() + interval '30 seconds', attempts = attempts + 1 "
            + "WHERE id IN (SELECT id FROM oidc_logout_delivery WHERE delivered_at IS NULL AND next_at <= now() "
            + "AND (leased_until IS NULL OR leased_until < now()) AND attempts < " + MAX_ATTEMPTS
            + " ORDER BY next_at LIMIT 20 FOR UPDATE SKIP LOCKED) RETURNING id, uri, logout_token, attempts")
        .execute()
        .compose(rows -> {
          List<Future<Void>> sends = new ArrayList<>();
          for (Row r : rows) {
            sends.add(send(r.getLong("id"), r.getString("uri"), r.getString("logout_token"), r.getInteger("attempts")));
          }
          return Future.join(sends).mapEmpty();
        });
  }

  private Future<Void> send(long id, String uri, String token, int attempts) {
    return web.postAbs(uri).timeout(10_000).putHeader("Cache-Control", "no-cache")
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("logout_token", token))
        .compose(resp -> resp.statusCode() == 200 || resp.statusCode() == 204
            ? pool.preparedQuery("UPDATE oidc_logout_delivery SET delivered_at = now(), leased_until = NULL WHERE id = $1")
                .execute(Tuple.of(id)).<Void>mapEmpty()
            : retry(id, attempts, "HTTP " + resp.statusCode()), err -> retry(id, attempts, err.getClass().getSimpleName()));
  }

  private Future<Void> retry(long id, int attempts, String error) {
    long delay = Math.min(3600, 1L << Math.min(attempts, 12));
    LOG.info("back-channel logout delivery {} failed ({}), attempt {}", id, error, attempts);
    return pool.preparedQuery("UPDATE oidc_logout_delivery SET leased_until = NULL, last_error = $2, "
            + "next_at = now() + make_interval(secs => $3) WHERE id = $1")
        .execute(Tuple.of(id, error, (double) delay)).mapEmpty();
  }
}

package jp.tsunagu.platform.oidc;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Authorization flows in {@code oidc_flow}. Every transition is one UPDATE whose WHERE clause
 * names the states the flow may come from, so of two racing requests exactly one moves it.
 */
final class FlowRepository {
  private final Pool pool;

  FlowRepository(Pool pool) {
    this.pool = pool;
  }

  Future<Void> insert(UUID id, AuthorizationRequest request, byte[] bindingHash, Instant expiresAt) {
    return pool.preparedQuery("INSERT INTO oidc_flow (id, client_id, state, request, binding_hash, expires_at) VALUES ($1, $2, 'login', $3, $4, $5)")
        .execute(Tuple.of(id, request.clientId(), request.toJson(), Buffer.buffer(bindingHash), expiresAt.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  /** A pushed request (RFC 9126): a flow bound to no browser, found by the digest of its request_uri until it expires. */
  Future<Void> insertPushed(UUID id, AuthorizationRequest request, byte[] requestUriHash, Instant expiresAt) {
    return pool.preparedQuery("INSERT INTO oidc_flow (id, client_id, state, request, request_uri_hash, expires_at) "
            + "VALUES ($1, $2, 'pushed', $3, $4, $5)")
        .execute(Tuple.of(id, request.clientId(), request.toJson(), Buffer.buffer(requestUriHash), expiresAt.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  /**
   * The pushed request of this client with this request_uri, moved from pushed to login and bound
   * to the browser that brought it, with the lifetime of a sign-in from now; empty when there is
   * none, it belongs to another client, it expired or a browser brought it before.
   */
  Future<Optional<Flow>> claimPushed(byte[] requestUriHash, String clientId, byte[] bindingHash, Instant expiresAt) {
    return pool.preparedQuery("UPDATE oidc_flow SET state = 'login', binding_hash = $3, expires_at = $4 "
            + "WHERE request_uri_hash = $1 AND client_id = $2 AND state = 'pushed' AND expires_at > now() RETURNING *")
        .execute(Tuple.of(Buffer.buffer(requestUriHash), clientId, Buffer.buffer(bindingHash), expiresAt.atOffset(ZoneOffset.UTC)))
        .map(FlowRepository::first);
  }

  /** The flow if the browser holds its binding cookie. */
  Future<Optional<Flow>> bound(UUID id, byte[] bindingHash) {
    return pool.preparedQuery("SELECT * FROM oidc_flow WHERE id = $1 AND binding_hash = $2")
        .execute(Tuple.of(id, Buffer.buffer(bindingHash)))
        .map(FlowRepository::first);
  }

  Future<Optional<Flow>> signedIn(UUID id, UUID accountId, int stamp, String sid, Instant authTime, String acr) {
    return move(id, FlowState.CONSENT, "account_id = $3, account_stamp = $4, sid = $5, auth_time = $6, acr = $7",
        accountId, stamp, sid, authTime.atOffset(ZoneOffset.UTC), acr);
  }

  /**
   * Sign-in with a consent in force (remembered consent): from the states a sign-in may come from
   * (login, or consent when signing in again) → done in one checked UPDATE that also records the service's subject for the citizen, so a
   * returning citizen's sign-in writes the flow once.
   */
  Future<Boolean> signedInWithConsent(UUID id, UUID accountId, int stamp, String sid, Instant authTime, String acr,
                                      List<String> scopes, byte[] codeHash, Instant codeExpiresAt, String subject) {
    // only whether it moved comes back: the caller has the flow's request already, so the row is not sent and parsed again
    return pool.preparedQuery("WITH moved AS (UPDATE oidc_flow SET state = 'done', account_id = $2, account_stamp = $3, sid = $4, "
            + "auth_time = $5, acr = $6, granted_scopes = $7, code_hash = $8, code_expires_at = $9 "
            + "WHERE id = $1 AND state IN (" + states(FlowState.CONSENT.predecessors()) + ") AND expires_at > now() "
            + "RETURNING client_id, account_id), "
            + "subject AS (INSERT INTO oidc_subject (client_id, subject, account_id) SELECT client_id, $10, account_id FROM moved "
            + "ON CONFLICT DO NOTHING) SELECT count(*) FROM moved")
        .execute(Tuple.from(List.of(id, accountId, stamp, sid, authTime.atOffset(ZoneOffset.UTC), acr, scopes.toArray(String[]::new),
            Buffer.buffer(codeHash), codeExpiresAt.atOffset(ZoneOffset.UTC), subject)))
        .map(rows -> rows.iterator().next().getLong(0) == 1);
  }

  Future<Optional<Flow>> acr(UUID id, String acr) {
    return move(id, FlowState.CONSENT, "acr = $3", acr);
  }

  Future<Optional<Flow>> approved(UUID id, List<String> scopes, byte[] codeHash, Instant codeExpiresAt) {
    return move(id, FlowState.DONE, "granted_scopes = $3, code_hash = $4, code_expires_at = $5",
        scopes.toArray(String[]::new), Buffer.buffer(codeHash), codeExpiresAt.atOffset(ZoneOffset.UTC));
  }

  Future<Optional<Flow>> denied(UUID id) {
    return move(id, FlowState.DENIED, "code_hash = NULL");
  }

  /** Removes flows that ended or lapsed long enough ago that no code of theirs can still be presented. */
  Future<Integer> purge(Instant before) {
    return pool.preparedQuery("DELETE FROM oidc_flow WHERE expires_at < $1").execute(Tuple.of(before.atOffset(ZoneOffset.UTC)))
        .map(RowSet::rowCount);
  }

  private Future<Optional<Flow>> move(UUID id, FlowState next, String set, Object... values) {
    String from = states(next.predecessors());
    Object[] params = new Object[values.length + 2];
    params[0] = id;
    params[1] = next.id();
    System.arraycopy(values, 0, params, 2, values.length);
    return pool.preparedQuery("UPDATE oidc_flow SET state = $2, " + set + " WHERE id = $1 AND state IN (" + from
            + ") AND expires_at > now() RETURNING *")
        .execute(Tuple.from(Arrays.asList(params)))
        .map(FlowRepository::first);
  }

  /** The SQL list of states a flow may come from ({@code 'login','consent'}). */
  private static String states(java.util.Set<FlowState> from) {
    return String.join(",", from.stream().sorted().map(s -> "'" + s.id() + "'").toList());
  }

  private static Optional<Flow> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next()));
  }

  static Flow map(Row r) {
    String[] granted = r.getArrayOfStrings("granted_scopes");
    return new Flow(r.getUUID("id"), r.getString("client_id"), FlowState.of(r.getString("state")),
        AuthorizationRequest.fromJson((JsonObject) r.getValue("request")), r.getUUID("account_id"), r.getString("sid"),
        r.getOffsetDateTime("auth_time") == null ? null : r.getOffsetDateTime("auth_time").toInstant(), r.getString("acr"),
        granted == null ? null : new LinkedHashSet<>(List.of(granted)), r.getInteger("account_stamp"),
        r.getOffsetDateTime("expires_at").toInstant());
  }
}

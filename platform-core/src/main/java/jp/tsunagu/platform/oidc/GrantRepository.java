package jp.tsunagu.platform.oidc;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Grants, refresh-token families, remembered consents and revoked access tokens. */
final class GrantRepository {
  private final Pool pool;

  GrantRepository(Pool pool) {
    this.pool = pool;
  }

  Future<Void> insertGrant(SqlClient tx, Grant g) {
    return tx.preparedQuery("INSERT INTO oidc_grant (id, client_id, account_id, sid, scopes, auth_time, acr, account_stamp) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .execute(Tuple.from(Arrays.asList(g.id(), g.clientId(), g.accountId(), g.sid(), g.scopes().toArray(String[]::new),
            g.authTime() == null ? null : g.authTime().atOffset(ZoneOffset.UTC), g.acr(), g.accountStamp())))
        .mapEmpty();
  }

  Future<Void> insertRefresh(SqlClient tx, byte[] hash, UUID grantId, Instant expiresAt) {
    return tx.preparedQuery("INSERT INTO oidc_refresh_token (token_hash, grant_id, expires_at) VALUES ($1, $2, $3)")
        .execute(Tuple.of(Buffer.buffer(hash), grantId, expiresAt.atOffset(ZoneOffset.UTC))).mapEmpty();
  }

  /** A refresh token locked for rotation, with its grant. */
  record RefreshRow(Grant grant, boolean used, Instant expiresAt) {}

  Future<Optional<RefreshRow>> lockRefresh(SqlClient tx, byte[] hash) {
    return tx.preparedQuery("SELECT t.used_at, t.expires_at, g.* FROM oidc_refresh_token t JOIN oidc_grant g ON g.id = t.grant_id "
            + "WHERE t.token_hash = $1 AND NOT EXISTS (SELECT 1 FROM account a WHERE a.id = g.account_id "
            + "AND (a.deleted_at IS NOT NULL OR a.security_stamp IS DISTINCT FROM coalesce(g.account_stamp, a.security_stamp))) "
            + "FOR UPDATE OF t")
        .execute(Tuple.of(Buffer.buffer(hash)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(refreshRow(rows.iterator().next())));
  }

  Future<Optional<RefreshRow>> findRefresh(byte[] hash) {
    return pool.preparedQuery("SELECT t.used_at, t.expires_at, g.* FROM oidc_refresh_token t JOIN oidc_grant g ON g.id = t.grant_id "
            + "WHERE t.token_hash = $1")
        .execute(Tuple.of(Buffer.buffer(hash)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(refreshRow(rows.iterator().next())));
  }

  Future<Void> markRefreshUsed(SqlClient tx, byte[] hash) {
    return tx.preparedQuery("UPDATE oidc_refresh_token SET used_at = now() WHERE token_hash = $1").execute(Tuple.of(Buffer.buffer(hash)))
        .mapEmpty();
  }

  /** Revokes a grant: its refresh tokens stop working and its access tokens fail introspection and userinfo. */
  Future<Void> revokeGrant(SqlClient db, UUID grantId) {
    return db.preparedQuery("UPDATE oidc_grant SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL").execute(Tuple.of(grantId))
        .mapEmpty();
  }

  Future<Optional<Grant>> grant(UUID id) {
    return pool.preparedQuery("SELECT * FROM oidc_grant WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(grant(rows.iterator().next())));
  }

  /** Whether an access token is still good: its grant (if any) not revoked and its own id not revoked. */
  Future<Boolean> accessTokenLive(UUID grantId, String jti) {
    return pool.preparedQuery("SELECT (SELECT count(*) FROM oidc_revoked_token WHERE jti = $2) = 0 "
            + "AND ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM oidc_grant WHERE id = $1 AND revoked_at IS NULL))")
        .execute(Tuple.of(grantId, jti))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /** Records a token id until it expires; false if it was recorded before (a replayed client assertion). */
  Future<Boolean> recordTokenId(String jti, Instant expiresAt) {
    return pool.preparedQuery("INSERT INTO oidc_revoked_token (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING")
        .execute(Tuple.of(jti, expiresAt.atOffset(ZoneOffset.UTC)))
        .map(r -> r.rowCount() == 1);
  }

  /** The live grants of a sign-in session, revoked in the same statement (logout). */
  Future<List<Grant>> revokeSession(SqlClient tx, String sid) {
    return tx.preparedQuery("UPDATE oidc_grant SET revoked_at = now() WHERE sid = $1 AND revoked_at IS NULL RETURNING *")
        .execute(Tuple.of(sid))
        .map(rows -> {
          List<Grant> out = new ArrayList<>();
          rows.forEach(r -> out.add(grant(r)));
          return out;
        });
  }

  /** Remembers under which subject a client knows an account, so the service API can find the citizen again. */
  Future<Void> rememberSubject(String clientId, String subject, UUID accountId) {
    return pool.preparedQuery("INSERT INTO oidc_subject (client_id, subject, account_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(clientId, subject, accountId)).mapEmpty();
  }

  /** The account a client knows by {@code subject}, if the citizen has ever been linked to it. */
  Future<Optional<UUID>> accountOf(String clientId, String subject) {
    return pool.preparedQuery("SELECT account_id FROM oidc_subject WHERE client_id = $1 AND subject = $2")
        .execute(Tuple.of(clientId, subject))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID(0)));
  }

  /** Revokes every live grant of a client for an account (consent withdrawn); returns how many. */
  Future<Integer> revokeCitizen(String clientId, UUID accountId) {
    return pool.preparedQuery("UPDATE oidc_grant SET revoked_at = now() WHERE client_id = $1 AND account_id = $2 AND revoked_at IS NULL")
        .execute(Tuple.of(clientId, accountId)).map(r -> r.rowCount());
  }

  /** Drops what cannot matter any more: used or expired refresh tokens and revoked-token ids past their expiry. */
  Future<Void> purge(Instant now) {
    OffsetDateTime t = now.atOffset(ZoneOffset.UTC);
    return pool.preparedQuery("DELETE FROM oidc_revoked_token WHERE expires_at < $1").execute(Tuple.of(t))
        .compose(r -> pool.preparedQuery("DELETE FROM oidc_refresh_token WHERE expires_at < $1").execute(Tuple.of(t)))
        .mapEmpty();
  }

  private static RefreshRow refreshRow(Row r) {
    return new RefreshRow(grant(r), r.getOffsetDateTime("used_at") != null, r.getOffsetDateTime("expires_at").toInstant());
  }

  static Grant grant(Row r) {
    return new Grant(r.getUUID("id"), r.getString("client_id"), r.getUUID("account_id"), r.getString("sid"),
        new LinkedHashSet<>(List.of(r.getArrayOfStrings("scopes"))),
        r.getOffsetDateTime("auth_time") == null ? null : r.getOffsetDateTime("auth_time").toInstant(), r.getString("acr"),
        r.getInteger("account_stamp"), r.getOffsetDateTime("revoked_at") != null);
  }
}

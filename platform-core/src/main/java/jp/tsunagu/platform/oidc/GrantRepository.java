package jp.tsunagu.platform.oidc;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Grants, refresh-token families, remembered consents and revoked access tokens. */
final class GrantRepository {
  private final Pool pool;

  GrantRepository(Pool pool) {
    this.pool = pool;
  }

  /** A refresh token with its grant, as it was before the rotation. */
  record RefreshRow(Grant grant, boolean used, Instant expiresAt) {}

  /**
   * What a rotation found, and whether it replaced the token (all its conditions held); {@code generation} is the generation of
   * the grant's live refresh token after the statement (the successor's when it rotated).
   */
  record Rotation(RefreshRow row, boolean rotated, Integer generation) {}

  /**
   * A grant with its refresh-token family: the generation of its one live refresh token and that token's expiry (both null when
   * the grant has none), and the DPoP key the family is bound to (public clients; null when unbound).
   */
  record Family(Grant grant, Integer generation, Instant expiresAt, String dpopJkt) {}

  /** What a rotation of a family found: the family as it was before (or after, when it rotated), and whether it rotated. */
  record FamilyRotation(Family family, boolean rotated) {}

  /** The part of the checks a refresh shares between both token formats: the account unchanged and not deleted. */
  private static final String ACCOUNT_UNCHANGED = "NOT EXISTS (SELECT 1 FROM account a WHERE a.id = g.account_id "
      + "AND (a.deleted_at IS NOT NULL OR a.security_stamp IS DISTINCT FROM coalesce(g.account_stamp, a.security_stamp)))";

  /**
   * Rotates a refresh token of the grant's family in one statement, an update of the grant's row in place (no index covers
   * what it changes): only if {@code generation} is the live one, unexpired, of a live grant of this client whose account is
   * unchanged, and the scope asked for is within the grant, the live generation moves one on with a new expiry. Otherwise the
   * grant comes back as the statement found it, so the caller tells a replay (an earlier generation) from an expiry or a
   * widened scope; a concurrent rotation of the same token waits for the row and then finds its generation gone. Empty when
   * no such grant exists (or its account was deleted or changed its credentials).
   */
  Future<Optional<FamilyRotation>> rotateFamily(UUID grantId, int generation, String clientId, Set<String> asked, Instant nextExpiresAt,
                                                String dpopJkt, String bindJkt) {
    return pool.preparedQuery("""
            WITH rotated AS (
              UPDATE oidc_grant g SET refresh_generation = g.refresh_generation + 1, refresh_expires_at = $5,
                dpop_jkt = coalesce(g.dpop_jkt, $7::text)
              WHERE g.id = $1 AND g.refresh_generation = $2 AND g.refresh_expires_at > now() AND g.revoked_at IS NULL
                AND g.client_id = $3::text AND ($4::text[] IS NULL OR g.scopes @> $4::text[])
                AND (g.dpop_jkt IS NULL OR g.dpop_jkt = $6::text) AND\s""" + ACCOUNT_UNCHANGED + """

              RETURNING g.*
            )
            SELECT *, true AS rotated FROM rotated
            UNION ALL
            SELECT g.*, false FROM oidc_grant g WHERE g.id = $1 AND NOT EXISTS (SELECT 1 FROM rotated) AND\s""" + ACCOUNT_UNCHANGED)
        .execute(Tuple.of(grantId, generation, clientId, asked == null ? null : asked.toArray(String[]::new),
            nextExpiresAt.atOffset(ZoneOffset.UTC), dpopJkt, bindJkt))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(new FamilyRotation(family(rows.iterator().next()), rows.iterator().next().getBoolean("rotated"))));
  }

  /**
   * Rotates a refresh token issued before tokens named their family (a digest in {@code oidc_refresh_token}) in one statement:
   * locks the presented token, and only if it is unused, unexpired, of a live grant of this client whose account is unchanged,
   * and the scope asked for is within the grant, marks it used and starts the grant's family at the next generation, so its
   * successor is a token of the current format. A concurrent rotation of the same token waits for the lock and then sees it
   * used. Empty when no such token exists (or its account was deleted or changed its credentials).
   */
  Future<Optional<Rotation>> rotateRefresh(byte[] hash, String clientId, Set<String> asked, Instant nextExpiresAt) {
    return pool.preparedQuery("""
            WITH t AS (
              SELECT t.used_at, t.expires_at AS token_expires_at, g.* FROM oidc_refresh_token t JOIN oidc_grant g ON g.id = t.grant_id
              WHERE t.token_hash = $1 AND\s""" + ACCOUNT_UNCHANGED + """

              FOR UPDATE OF t
            ), ok AS (
              SELECT id FROM t WHERE used_at IS NULL AND token_expires_at > now() AND revoked_at IS NULL AND client_id = $2::text
                AND ($3::text[] IS NULL OR scopes @> $3::text[])
            ), spent AS (
              UPDATE oidc_refresh_token SET used_at = now() WHERE token_hash = $1 AND EXISTS (SELECT 1 FROM ok)
            ), successor AS (
              UPDATE oidc_grant SET refresh_generation = coalesce(refresh_generation + 1, 0), refresh_expires_at = $4
              WHERE id IN (SELECT id FROM ok) RETURNING refresh_generation
            )
            SELECT t.*, EXISTS (SELECT 1 FROM ok) AS rotated, (SELECT refresh_generation FROM successor) AS generation FROM t""")
        .execute(Tuple.of(Buffer.buffer(hash), clientId, asked == null ? null : asked.toArray(String[]::new),
            nextExpiresAt.atOffset(ZoneOffset.UTC)))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new Rotation(new RefreshRow(grant(r), r.getOffsetDateTime("used_at") != null,
              r.getOffsetDateTime("token_expires_at").toInstant()), r.getBoolean("rotated"), r.getInteger("generation")));
        });
  }

  /**
   * What a code exchange found: the grant the code's flow makes (its id is the flow's), what the
   * exchange is checked against (the request's redirect URI and code challenge, the code's use and
   * expiry), the request's nonce for the ID token, and whether the statement made the grant.
   */
  record Redemption(Grant grant, String redirectUri, String codeChallenge, String nonce, boolean used, Instant codeExpiresAt,
                    boolean issued, String dpopJkt) {}

  /**
   * Exchanges an authorization code in one statement. Its UPDATE spends the code if it is unused,
   * whatever else is wrong (a code is single-use, RFC 6749 §4.1.2), and holds the flow's row
   * until the commit; only if the code was issued to this client, has not expired, names the same
   * redirect URI and the PKCE challenge matches ({@code challenge}: the S256 of the verifier
   * presented, null when none was) it inserts the grant (with the flow's id), its refresh-token
   * family started at generation 0 when {@code withRefresh}. A code this statement did not spend was
   * spent before, or by an exchange running at the same time (whose commit the UPDATE waited for):
   * either way it comes back as used, so the caller revokes what it was exchanged for. Only the
   * columns the exchange needs come back (not the stored request, which would be parsed again).
   */
  Future<Optional<Redemption>> redeemCode(byte[] codeHash, String clientId, String redirectUri, String challenge, boolean withRefresh,
                                          Instant refreshExpiresAt, String dpopJkt, String proofJkt) {
    return pool.preparedQuery("""
            WITH burnt AS (
              UPDATE oidc_flow SET code_used_at = now() WHERE code_hash = $1 AND code_used_at IS NULL
              RETURNING id, client_id, account_id, sid, granted_scopes, auth_time, acr, account_stamp, code_expires_at, request
            ), ok AS (
              SELECT * FROM burnt WHERE client_id = $2::text AND code_expires_at > now()
                AND request->>'redirect_uri' = $3::text AND (request->>'code_challenge') IS NOT DISTINCT FROM $4::text
                AND ((request->>'dpop_jkt') IS NULL OR request->>'dpop_jkt' = $8::text)
            ), made AS (
              INSERT INTO oidc_grant (id, client_id, account_id, sid, scopes, auth_time, acr, account_stamp, refresh_generation, refresh_expires_at,
                dpop_jkt)
              SELECT id, client_id, account_id, sid, granted_scopes, auth_time, acr, account_stamp, CASE WHEN $5::boolean THEN 0 END,
                CASE WHEN $5::boolean THEN $6::timestamptz END, $7::text FROM ok
            )
            SELECT id, client_id, account_id, sid, granted_scopes AS scopes, auth_time, acr, account_stamp, NULL::timestamptz AS revoked_at,
              false AS used, code_expires_at, request->>'redirect_uri' AS redirect_uri, request->>'code_challenge' AS code_challenge,
              request->>'nonce' AS nonce, EXISTS (SELECT 1 FROM ok) AS issued, request->>'dpop_jkt' AS dpop_jkt FROM burnt
            UNION ALL
            SELECT id, client_id, account_id, sid, granted_scopes, auth_time, acr, account_stamp, NULL, true, code_expires_at,
              request->>'redirect_uri', request->>'code_challenge', request->>'nonce', false, request->>'dpop_jkt'
            FROM oidc_flow WHERE code_hash = $1 AND NOT EXISTS (SELECT 1 FROM burnt)""")
        .execute(Tuple.from(Arrays.asList(Buffer.buffer(codeHash), clientId, redirectUri, challenge, withRefresh,
            refreshExpiresAt.atOffset(ZoneOffset.UTC), dpopJkt, proofJkt)))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new Redemption(grant(r), r.getString("redirect_uri"), r.getString("code_challenge"), r.getString("nonce"),
              r.getBoolean("used"), r.getOffsetDateTime("code_expires_at").toInstant(), r.getBoolean("issued"), r.getString("dpop_jkt")));
        });
  }

  Future<Optional<RefreshRow>> findRefresh(byte[] hash) {
    return pool.preparedQuery("SELECT t.used_at, t.expires_at, g.* FROM oidc_refresh_token t JOIN oidc_grant g ON g.id = t.grant_id "
            + "WHERE t.token_hash = $1")
        .execute(Tuple.of(Buffer.buffer(hash)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(refreshRow(rows.iterator().next())));
  }

  /** A grant with its refresh-token family, for revocation and introspection. */
  Future<Optional<Family>> findFamily(UUID grantId) {
    return pool.preparedQuery("SELECT * FROM oidc_grant WHERE id = $1").execute(Tuple.of(grantId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(family(rows.iterator().next())));
  }

  /** Revokes a grant: its refresh tokens stop working and its access tokens fail introspection and userinfo. */
  Future<Void> revokeGrant(SqlClient db, UUID grantId) {
    return db.preparedQuery("UPDATE oidc_grant SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL").execute(Tuple.of(grantId))
        .mapEmpty();
  }

  Future<Optional<Grant>> grant(UUID id) {
    return findFamily(id).map(found -> found.map(Family::grant));
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

  /**
   * Ends a sign-in session's grants (logout): revokes the live ones and answers every service the
   * session signed in, with the account, including services whose grant was revoked before (they
   * still hold the sign-in). The statement's SELECT reads the rows as they were before its UPDATE.
   */
  Future<Map<String, UUID>> revokeSession(SqlClient tx, String sid) {
    return tx.preparedQuery("WITH live AS (UPDATE oidc_grant SET revoked_at = now() WHERE sid = $1 AND revoked_at IS NULL) "
            + "SELECT client_id, account_id FROM oidc_grant WHERE sid = $1 ORDER BY created_at")
        .execute(Tuple.of(sid))
        .map(rows -> {
          Map<String, UUID> services = new LinkedHashMap<>();
          rows.forEach(r -> services.putIfAbsent(r.getString("client_id"), r.getUUID("account_id")));
          return services;
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

  /** Grants deleted per statement of a purge, so one purge never holds many locks at once. */
  static final int PURGE_BATCH = 5_000;

  /**
   * Drops what cannot matter any more: revoked-token ids and refresh tokens of the earlier format
   * past their expiry (used ones stay until then, so a replay is still recognised), and grants that
   * nothing can use: revoked ones once their last access token has expired, and live ones whose
   * live refresh token has expired (or that never had one) and that have no earlier-format token
   * left, once a whole refresh lifetime has passed since they were made (so the grant that ties a
   * session's {@code sid} to its service for back-channel logout stays as long as a refresh token
   * of it could have). A grant's family is recognised by its MAC for as long as the grant stays, so
   * a replay of any generation revokes it until then. Returns how many grants were deleted.
   */
  Future<Integer> purge(Instant now, Duration accessLifetime, Duration refreshLifetime) {
    OffsetDateTime t = now.atOffset(ZoneOffset.UTC);
    return pool.preparedQuery("DELETE FROM oidc_revoked_token WHERE expires_at < $1").execute(Tuple.of(t))
        .compose(r -> pool.preparedQuery("DELETE FROM oidc_refresh_token WHERE expires_at < $1").execute(Tuple.of(t)))
        .compose(r -> purgeGrants(now.minus(accessLifetime).atOffset(ZoneOffset.UTC), now.minus(refreshLifetime).atOffset(ZoneOffset.UTC), t, 0));
  }

  private Future<Integer> purgeGrants(OffsetDateTime revokedBefore, OffsetDateTime madeBefore, OffsetDateTime now, int sofar) {
    return pool.preparedQuery("""
            DELETE FROM oidc_grant WHERE id IN (
              SELECT g.id FROM oidc_grant g
              WHERE g.revoked_at < $1 AND (g.sid IS NULL OR g.created_at < $2)
                 OR g.created_at < $2 AND (g.refresh_expires_at IS NULL OR g.refresh_expires_at < $4)
                    AND NOT EXISTS (SELECT 1 FROM oidc_refresh_token t WHERE t.grant_id = g.id)
              LIMIT $3)""")
        .execute(Tuple.of(revokedBefore, madeBefore, PURGE_BATCH, now))
        .compose(r -> r.rowCount() < PURGE_BATCH ? Future.succeededFuture(sofar + r.rowCount())
            : purgeGrants(revokedBefore, madeBefore, now, sofar + r.rowCount()));
  }

  private static Family family(Row r) {
    OffsetDateTime expires = r.getOffsetDateTime("refresh_expires_at");
    return new Family(grant(r), r.getInteger("refresh_generation"), expires == null ? null : expires.toInstant(), r.getString("dpop_jkt"));
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

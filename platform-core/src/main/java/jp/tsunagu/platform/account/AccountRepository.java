package jp.tsunagu.platform.account;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** SQL for citizen accounts and their one-time mail tokens. */
public final class AccountRepository {
  private static final String COLUMNS =
      "id, email, email_verified_at, password_hash, display_name, locale, security_stamp, created_at";

  public Future<Optional<Account>> byId(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM account WHERE id = $1 AND deleted_at IS NULL")
        .execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
  }

  public Future<Optional<Account>> byEmail(SqlClient db, String email) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM account WHERE email = $1 AND deleted_at IS NULL")
        .execute(Tuple.of(email)).map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
  }

  /** The account with its current residence, in one round trip (the "my account" read). */
  public Future<Optional<AccountWithResidence>> withResidence(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT a.id, a.email, a.email_verified_at, a.password_hash, a.display_name, a.locale, "
            + "a.security_stamp, a.created_at, r.tenant_code, t.name_ja, t.name_en, r.record_id, rr.district_code, r.verified_at "
            + "FROM account a LEFT JOIN residence r ON r.account_id = a.id AND r.ended_at IS NULL "
            + "LEFT JOIN tenant t ON t.code = r.tenant_code LEFT JOIN resident_record rr ON rr.id = r.record_id "
            + "WHERE a.id = $1 AND a.deleted_at IS NULL")
        .execute(Tuple.of(id))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          Optional<jp.tsunagu.platform.residence.ResidenceService.Residence> residence = r.getString("tenant_code") == null
              ? Optional.empty()
              : Optional.of(new jp.tsunagu.platform.residence.ResidenceService.Residence(r.getString("tenant_code"),
                  r.getString("name_ja"), r.getString("name_en"), r.getUUID("record_id"), r.getString("district_code"),
                  r.getOffsetDateTime("verified_at")));
          return Optional.of(new AccountWithResidence(map(r), residence));
        });
  }

  /** An account and its current residence, if verified. */
  public record AccountWithResidence(Account account,
                                     Optional<jp.tsunagu.platform.residence.ResidenceService.Residence> residence) {}

  /** Inserts an account; fails with SQLSTATE 23505 when the e-mail address is taken. */
  public Future<Void> insert(SqlClient db, UUID id, String email, String hash, String displayName, String locale) {
    return db.preparedQuery("INSERT INTO account (id, email, password_hash, display_name, locale) VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(id, email, hash, displayName, locale)).mapEmpty();
  }

  public Future<Void> insertToken(SqlClient db, byte[] tokenHash, UUID accountId, String purpose, String newEmail,
                                  OffsetDateTime expiresAt) {
    return db.preparedQuery("INSERT INTO mail_token (token_hash, account_id, purpose, new_email, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(tokenHash), accountId, purpose, newEmail, expiresAt)).mapEmpty();
  }

  /** A token row claimed for use: marks it used and returns it, if it was unused and unexpired. */
  public record ClaimedToken(UUID accountId, String newEmail) {}

  public Future<Optional<ClaimedToken>> claimToken(SqlClient db, byte[] tokenHash, String purpose) {
    return db.preparedQuery("UPDATE mail_token SET used_at = now() WHERE token_hash = $1 AND purpose = $2 "
            + "AND used_at IS NULL AND expires_at > now() RETURNING account_id, new_email")
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(tokenHash), purpose))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(new ClaimedToken(rows.iterator().next().getUUID(0), rows.iterator().next().getString(1))));
  }

  public Future<Void> markVerified(SqlClient db, UUID id) {
    return db.preparedQuery("UPDATE account SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id)).mapEmpty();
  }

  public Future<Void> setPassword(SqlClient db, UUID id, String hash) {
    return db.preparedQuery("UPDATE account SET password_hash = $2, security_stamp = security_stamp + 1, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, hash)).mapEmpty();
  }

  public Future<Void> rehash(SqlClient db, UUID id, String hash) {
    return db.preparedQuery("UPDATE account SET password_hash = $2 WHERE id = $1").execute(Tuple.of(id, hash)).mapEmpty();
  }

  public Future<Void> setEmail(SqlClient db, UUID id, String email) {
    return db.preparedQuery("UPDATE account SET email = $2, email_verified_at = now(), security_stamp = security_stamp + 1, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, email)).mapEmpty();
  }

  public Future<Void> setProfile(SqlClient db, UUID id, String displayName, String locale) {
    return db.preparedQuery("UPDATE account SET display_name = $2, locale = $3, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, displayName, locale)).mapEmpty();
  }

  /**
   * Erases the personal data of an account. The row stays as a tombstone (its id is never reused,
   * so identifiers issued to services stay unique); tokens and guardianships go; an open residence
   * is ended, while the municipality's own resident record stays with the municipality.
   */
  public Future<Void> erase(SqlClient db, UUID id) {
    return db.preparedQuery("DELETE FROM mail_token WHERE account_id = $1").execute(Tuple.of(id))
        .compose(r -> db.preparedQuery("DELETE FROM guardianship WHERE guardian_id = $1").execute(Tuple.of(id)))
        .compose(r -> db.preparedQuery("SELECT erase_delivery_data($1)").execute(Tuple.of(id)))
        .compose(r -> db.preparedQuery("UPDATE residence SET ended_at = now() WHERE account_id = $1 AND ended_at IS NULL").execute(Tuple.of(id)))
        .compose(r -> db.preparedQuery("UPDATE account SET email = NULL, email_verified_at = NULL, password_hash = NULL, "
            + "display_name = NULL, security_stamp = security_stamp + 1, deleted_at = now(), updated_at = now() WHERE id = $1").execute(Tuple.of(id)))
        .mapEmpty();
  }

  private static Account map(Row r) {
    return new Account(r.getUUID("id"), r.getString("email"), r.getOffsetDateTime("email_verified_at") != null,
        r.getString("password_hash"), r.getString("display_name"), r.getString("locale"),
        r.getInteger("security_stamp"), r.getOffsetDateTime("created_at"));
  }
}

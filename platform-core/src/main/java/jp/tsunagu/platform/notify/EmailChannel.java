package jp.tsunagu.platform.notify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.mail.MailOutbox;
import jp.tsunagu.platform.security.Tokens;

/**
 * The e-mail channel of notices: double opt-in (a mailed link, good for 24 hours, confirms the
 * address; the link's page asks before it confirms, so a mail scanner opening it changes nothing),
 * one-click unsubscribe (RFC 8058) by the token in every notice mail, and stopping an address
 * that bounced hard or complained.
 */
public final class EmailChannel {
  private final Pool pool;
  private final UnsubscribeTokens tokens;
  private final String publicUrl;

  EmailChannel(Pool pool, UnsubscribeTokens tokens, String publicUrl) {
    this.pool = pool;
    this.tokens = tokens;
    this.publicUrl = publicUrl;
  }

  /** none, pending, active or stopped (with the reason). */
  public Future<JsonObject> state(UUID accountId) {
    return pool.preparedQuery("SELECT address, confirmed_at, stopped_at, stop_reason FROM email_channel WHERE account_id = $1")
        .execute(Tuple.of(accountId))
        .map(rows -> {
          if (rows.size() == 0) {
            return new JsonObject().put("state", "none");
          }
          var r = rows.iterator().next();
          String state = r.getOffsetDateTime("stopped_at") != null ? "stopped"
              : r.getOffsetDateTime("confirmed_at") != null ? "active" : "pending";
          return new JsonObject().put("state", state).put("address", r.getString("address"))
              .put("stopReason", r.getString("stop_reason"));
        });
  }

  /** Starts (or restarts) the opt-in: mails a confirmation link to the account's address. */
  public Future<JsonObject> request(Account account) {
    if (account.email() == null || !account.emailVerified()) {
      return Future.failedFuture(ProblemException.conflict("email-unverified", "Confirm your sign-in address first"));
    }
    String token = Tokens.urlToken();
    String link = publicUrl + "/notices/email/confirm?token=" + token;
    var mail = NoticeMails.optIn(account.locale(), link);
    return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO email_channel (account_id, address, confirm_digest) "
            + "VALUES ($1, $2, $3) ON CONFLICT (account_id) DO UPDATE SET address = EXCLUDED.address, "
            + "confirm_digest = EXCLUDED.confirm_digest, requested_at = now(), confirmed_at = NULL, stopped_at = NULL, "
            + "stop_reason = NULL")
        .execute(Tuple.of(account.id(), account.email(), Tokens.sha256(token)))
        .compose(v -> MailOutbox.enqueue(tx, account.email(), mail.subject(), mail.body())))
        .compose(v -> state(account.id()));
  }

  /** Confirms the opt-in of the token's link; a used, unknown or expired token is refused. */
  public Future<Void> confirm(String token) {
    return pool.preparedQuery("UPDATE email_channel SET confirmed_at = now(), confirm_digest = NULL "
            + "WHERE confirm_digest = $1 AND requested_at > now() - interval '24 hours' RETURNING account_id")
        .execute(Tuple.of(Tokens.sha256(token == null ? "" : token)))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ProblemException.gone("invalid-token", "This link is invalid, used or expired"))
            : Future.succeededFuture());
  }

  /** Stops the channel of an account; stopping a stopped or absent channel succeeds. */
  public Future<Void> stop(UUID accountId, String reason) {
    return pool.preparedQuery("UPDATE email_channel SET stopped_at = now(), stop_reason = $2, confirm_digest = NULL "
            + "WHERE account_id = $1 AND stopped_at IS NULL").execute(Tuple.of(accountId, reason)).mapEmpty();
  }

  /** One-click unsubscribe: the account the token names stops getting notice mail. */
  public Future<Void> unsubscribe(String token) {
    Optional<UUID> account = tokens.verify(token);
    return account.isEmpty() ? Future.failedFuture(ProblemException.badRequest("invalid-token", "This link is not valid"))
        : stop(account.get(), "unsubscribed");
  }

  /** A hard bounce or complaint for an address stops every channel that uses it; returns how many. */
  public Future<Integer> stopAddress(String address, String reason) {
    return pool.preparedQuery("UPDATE email_channel SET stopped_at = now(), stop_reason = $2, confirm_digest = NULL "
            + "WHERE lower(address) = lower($1) AND stopped_at IS NULL").execute(Tuple.of(address, reason))
        .map(rows -> rows.rowCount());
  }

  String unsubscribeLink(UUID accountId) {
    return publicUrl + "/notices/unsubscribe?token=" + tokens.issue(accountId);
  }
}

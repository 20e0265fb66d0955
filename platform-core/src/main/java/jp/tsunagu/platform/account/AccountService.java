package jp.tsunagu.platform.account;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.mail.MailOutbox;
import jp.tsunagu.platform.mail.MailTexts;
import jp.tsunagu.platform.ratelimit.RateLimiter;
import jp.tsunagu.platform.ratelimit.RateLimiter.Limit;
import jp.tsunagu.platform.security.PasswordHasher;
import jp.tsunagu.platform.security.Tokens;

/** Citizen accounts: sign-up, e-mail verification, sign-in, password and e-mail changes, erasure. */
public final class AccountService {
  private static final Duration VERIFY_TTL = Duration.ofHours(24);
  private static final Duration RESET_TTL = Duration.ofHours(1);

  private final Pool pool;
  private final AccountRepository accounts = new AccountRepository();
  private final PasswordHasher hasher;
  private final RateLimiter limiter;
  /** The rate limit of failed sign-ins per account, in 15-minute windows. */
  public static final String SIGN_IN_PER_ACCOUNT = "signin-account";
  private final Limit signInPerAccount;
  private final Limit signInPerAddress;
  private final Limit mailPerAddress;
  private final String publicUrl;
  private final Clock clock;
  private final AccountCache cache;

  public AccountService(Pool pool, AccountCache cache, PasswordHasher hasher, RateLimiter limiter, int signInAttemptsPer15Min,
                        String publicUrl, Clock clock) {
    this.pool = pool;
    this.cache = cache;
    this.hasher = hasher;
    this.limiter = limiter;
    this.signInPerAccount = new Limit(SIGN_IN_PER_ACCOUNT, signInAttemptsPer15Min, 900);
    this.signInPerAddress = new Limit("signin-ip", signInAttemptsPer15Min * 10, 900);
    this.mailPerAddress = new Limit("mail-request", 5, 3600);
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  /** This node's account cache; whoever changes an account or its residence directly invalidates it here. */
  public AccountCache cache() {
    return cache;
  }

  /** Creates an unverified account and mails a verification link. */
  public Future<Account> signUp(String rawEmail, String password, String displayName, String locale) {
    String email = EmailAddress.normalise(rawEmail);
    PasswordPolicy.check(password, email);
    String name = displayName == null ? "" : displayName.strip();
    if (name.isEmpty() || name.length() > 100) {
      return Future.failedFuture(ProblemException.badRequest("invalid-display-name", "A display name of 1 to 100 characters is required"));
    }
    String lang = "en".equals(locale) ? "en" : "ja";
    UUID id = UUID.randomUUID();
    return hasher.hash(password)
        .compose(hash -> pool.withTransaction(tx -> accounts.insert(tx, id, email, hash, name, lang)
            .compose(v -> mailToken(tx, id, email, lang, "verify_email", null, VERIFY_TTL))))
        .recover(err -> isUniqueViolation(err)
            ? Future.failedFuture(ProblemException.conflict("email-taken", "An account with this e-mail address exists already"))
            : Future.failedFuture(err))
        .compose(v -> accounts.byId(pool, id).map(Optional::orElseThrow));
  }

  /** Confirms the address behind a verification or e-mail-change link. */
  public Future<UUID> confirmEmail(String token) {
    byte[] hash = Tokens.sha256(token == null ? "" : token);
    return pool.withTransaction(tx -> accounts.claimToken(tx, hash, "verify_email")
        .compose(claimed -> {
          if (claimed.isPresent()) {
            return accounts.markVerified(tx, claimed.get().accountId()).map(claimed.get().accountId());
          }
          return accounts.claimToken(tx, hash, "change_email").compose(change -> {
            if (change.isEmpty()) {
              return Future.failedFuture(ProblemException.gone("invalid-token", "This link is invalid, used or expired"));
            }
            UUID id = change.get().accountId();
            String newEmail = change.get().newEmail();
            return accounts.byId(tx, id).compose(old -> accounts.setEmail(tx, id, newEmail)
                .compose(v -> old.isPresent()
                    ? MailOutbox.enqueue(tx, old.get().email(), MailTexts.emailChangedNotice(old.get().locale(), newEmail).subject(),
                        MailTexts.emailChangedNotice(old.get().locale(), newEmail).body())
                    : Future.succeededFuture()))
                .map(id);
          });
        }))
        .recover(err -> isUniqueViolation(err)
            ? Future.failedFuture(ProblemException.conflict("email-taken", "An account with this e-mail address exists already"))
            : Future.failedFuture(err))
        .compose(id -> cache.invalidate(id).map(id));
  }

  /** Checks credentials; rate-limited per account and per client address. */
  public Future<Account> signIn(String rawEmail, String password, String clientAddress) {
    String email;
    try {
      email = EmailAddress.normalise(rawEmail);
    } catch (ProblemException e) {
      return Future.failedFuture(invalidCredentials());
    }
    String pw = password == null ? "" : password;
    return limiter.check(signInPerAccount, email)
        .compose(v -> limiter.check(signInPerAddress, clientAddress))
        .compose(v -> accounts.byEmail(pool, email))
        .compose(found -> hasher.verify(pw, found.map(Account::passwordHash).orElse(null))
            .compose(ok -> {
              if (!ok || found.isEmpty()) {
                return limiter.record(signInPerAccount, email)
                    .compose(x -> limiter.record(signInPerAddress, clientAddress))
                    .compose(x -> Future.failedFuture(invalidCredentials()));
              }
              Account account = found.get();
              if (!account.emailVerified()) {
                return Future.failedFuture(new ProblemException(403, "email-unverified", "E-mail not verified",
                    "Confirm your e-mail address with the link we sent before signing in"));
              }
              if (hasher.needsRehash(account.passwordHash())) {
                // the password was right: a full password queue only puts the new hash off to a later sign-in
                return hasher.hash(pw).compose(h -> accounts.rehash(pool, account.id(), h))
                    .compose(v -> cache.invalidate(account.id())).map(account)
                    .recover(err -> PasswordHasher.busy(err) ? Future.succeededFuture(account) : Future.failedFuture(err));
              }
              return Future.succeededFuture(account);
            }));
  }

  /** The account with its residence, from this node's cache when it holds it (see {@link AccountCache}). */
  public Future<Optional<AccountRepository.AccountWithResidence>> findWithResidence(UUID id) {
    return cache.get(id, key -> accounts.withResidence(pool, key));
  }

  public Future<Optional<Account>> findByEmail(String normalisedEmail) {
    return accounts.byEmail(pool, normalisedEmail);
  }

  public Future<Optional<Account>> find(UUID id) {
    return findWithResidence(id).map(found -> found.map(AccountRepository.AccountWithResidence::account));
  }

  /** Mails a reset link when the address belongs to an account; answers the same either way. */
  public Future<Void> requestPasswordReset(String rawEmail, String clientAddress) {
    String email = EmailAddress.normalise(rawEmail);
    return limiter.hit(mailPerAddress, clientAddress)
        .compose(v -> accounts.byEmail(pool, email))
        .compose(found -> found.isEmpty() ? Future.succeededFuture()
            : pool.withTransaction(tx -> mailToken(tx, found.get().id(), email, found.get().locale(), "reset_password", null, RESET_TTL)));
  }

  public Future<Void> resetPassword(String token, String newPassword) {
    byte[] hash = Tokens.sha256(token == null ? "" : token);
    return pool.withTransaction(tx -> accounts.claimToken(tx, hash, "reset_password")
        .compose(claimed -> claimed.isEmpty()
            ? Future.failedFuture(ProblemException.gone("invalid-token", "This link is invalid, used or expired"))
            : accounts.byId(tx, claimed.get().accountId()))
        .compose(account -> {
          Account a = account.orElseThrow(() -> ProblemException.gone("invalid-token", "The account no longer exists"));
          PasswordPolicy.check(newPassword, a.email());
          return hasher.hash(newPassword).compose(h -> accounts.setPassword(tx, a.id(), h))
              // a reset link proves control of the mailbox, so the address is verified too
              .compose(v -> accounts.markVerified(tx, a.id()))
              .map(a.id());
        }))
        .compose(cache::invalidate);
  }

  public Future<Void> changePassword(UUID id, String currentPassword, String newPassword) {
    return requireAccount(id)
        .compose(a -> checkPassword(a, currentPassword).map(a))
        .compose(a -> {
          PasswordPolicy.check(newPassword, a.email());
          return hasher.hash(newPassword).compose(h -> accounts.setPassword(pool, id, h));
        })
        .compose(v -> cache.invalidate(id));
  }

  /** Mails a confirmation link to the new address; the change applies when it is opened. */
  public Future<Void> requestEmailChange(UUID id, String currentPassword, String rawNewEmail) {
    String newEmail = EmailAddress.normalise(rawNewEmail);
    return requireAccount(id)
        .compose(a -> checkPassword(a, currentPassword).map(a))
        .compose(a -> accounts.byEmail(pool, newEmail).compose(taken -> taken.isPresent()
            ? Future.failedFuture(ProblemException.conflict("email-taken", "An account with this e-mail address exists already"))
            : pool.withTransaction(tx -> mailToken(tx, id, newEmail, a.locale(), "change_email", newEmail, VERIFY_TTL))));
  }

  public Future<Void> updateProfile(UUID id, String displayName, String locale) {
    String name = displayName == null ? "" : displayName.strip();
    if (name.isEmpty() || name.length() > 100) {
      return Future.failedFuture(ProblemException.badRequest("invalid-display-name", "A display name of 1 to 100 characters is required"));
    }
    return requireAccount(id).compose(a -> accounts.setProfile(pool, id, name, "en".equals(locale) ? "en" : "ja"))
        .compose(v -> cache.invalidate(id));
  }

  /** Erases the account's personal data after checking the password. */
  public Future<Void> delete(UUID id, String currentPassword) {
    return requireAccount(id)
        .compose(a -> checkPassword(a, currentPassword))
        .compose(v -> pool.withTransaction(tx -> accounts.erase(tx, id)))
        .compose(v -> cache.invalidate(id));
  }

  private Future<Account> requireAccount(UUID id) {
    return accounts.byId(pool, id).compose(a -> a.isPresent()
        ? Future.succeededFuture(a.get())
        : Future.failedFuture(ProblemException.unauthorized("The account no longer exists")));
  }

  private Future<Void> checkPassword(Account a, String password) {
    return limiter.check(signInPerAccount, a.email())
        .compose(v -> hasher.verify(password == null ? "" : password, a.passwordHash()))
        .compose(ok -> ok ? Future.succeededFuture()
            : limiter.record(signInPerAccount, a.email()).compose(x -> Future.failedFuture(
                new ProblemException(403, "wrong-password", "Wrong password", "The current password is not correct"))));
  }

  private Future<Void> mailToken(io.vertx.sqlclient.SqlClient tx, UUID accountId, String to, String locale, String purpose,
                                 String newEmail, Duration ttl) {
    String token = Tokens.urlToken();
    OffsetDateTime expires = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).plus(ttl);
    MailTexts.Mail mail = switch (purpose) {
      case "verify_email" -> MailTexts.verifyEmail(locale, publicUrl + "/verify-email?token=" + token);
      case "change_email" -> MailTexts.changeEmail(locale, publicUrl + "/verify-email?token=" + token);
      default -> MailTexts.resetPassword(locale, publicUrl + "/reset-password?token=" + token);
    };
    return accounts.insertToken(tx, Tokens.sha256(token), accountId, purpose, newEmail, expires)
        .compose(v -> MailOutbox.enqueue(tx, to, mail.subject(), mail.body()));
  }

  private static ProblemException invalidCredentials() {
    return new ProblemException(401, "invalid-credentials", "Sign-in failed", "The e-mail address or password is not correct");
  }

  public static boolean isUniqueViolation(Throwable err) {
    return err instanceof PgException pg && "23505".equals(pg.getSqlState());
  }
}

package jp.tsunagu.platform.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.util.UUID;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.account.AccountService;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.staff.StaffService;

/**
 * Who is calling: the citizen and/or staff member bound to the browser session. Sessions live in
 * the cluster-wide session store, so any node can serve the next request of the same browser. A
 * citizen session records the account's security stamp; changing the password or e-mail address
 * raises the stamp and so ends every other session of the account.
 */
public final class Auth {
  public static final String ACCOUNT = "account";
  public static final String STAMP = "stamp";
  public static final String STAFF = "staff";
  /** The sign-in session's id for OpenID Connect ({@code sid}), fresh at every sign-in. */
  public static final String SID = "sid";
  /** When the citizen last typed their password (epoch seconds), for {@code auth_time} and {@code max_age}. */
  public static final String AUTH_TIME = "authTime";

  private final AccountService accounts;
  private final StaffService staff;

  public Auth(AccountService accounts, StaffService staff) {
    this.accounts = accounts;
    this.staff = staff;
  }

  public Future<Account> citizen(RoutingContext ctx) {
    Session session = ctx.session();
    String id = session == null ? null : session.get(ACCOUNT);
    if (id == null) {
      return Future.failedFuture(ProblemException.unauthorized("Sign in first"));
    }
    Integer stamp = session.get(STAMP);
    return accounts.find(UUID.fromString(id)).compose(found -> {
      if (found.isEmpty() || stamp == null || stamp != found.get().securityStamp()) {
        session.remove(ACCOUNT);
        session.remove(STAMP);
        return Future.failedFuture(ProblemException.unauthorized("The session has ended; sign in again"));
      }
      return Future.succeededFuture(found.get());
    });
  }

  /** The signed-in citizen with their residence, checked like {@link #citizen} in one database read. */
  public Future<jp.tsunagu.platform.account.AccountRepository.AccountWithResidence> citizenWithResidence(RoutingContext ctx) {
    Session session = ctx.session();
    String id = session == null ? null : session.get(ACCOUNT);
    if (id == null) {
      return Future.failedFuture(ProblemException.unauthorized("Sign in first"));
    }
    Integer stamp = session.get(STAMP);
    return accounts.findWithResidence(UUID.fromString(id)).compose(found -> {
      if (found.isEmpty() || stamp == null || stamp != found.get().account().securityStamp()) {
        session.remove(ACCOUNT);
        session.remove(STAMP);
        return Future.failedFuture(ProblemException.unauthorized("The session has ended; sign in again"));
      }
      return Future.succeededFuture(found.get());
    });
  }

  public Future<Staff> staff(RoutingContext ctx) {
    Session session = ctx.session();
    String id = session == null ? null : session.get(STAFF);
    if (id == null) {
      return Future.failedFuture(ProblemException.unauthorized("Staff sign-in required"));
    }
    return staff.byId(UUID.fromString(id)).compose(found -> found.isEmpty() || found.get().disabled()
        ? Future.failedFuture(ProblemException.unauthorized("The staff session has ended"))
        : Future.succeededFuture(found.get()));
  }

  /** Binds a citizen to the session under a fresh session id (no session fixation). */
  public static void signInCitizen(RoutingContext ctx, Account account) {
    regenerateIfPresented(ctx);
    ctx.session().put(ACCOUNT, account.id().toString());
    ctx.session().put(STAMP, account.securityStamp());
    ctx.session().put(SID, jp.tsunagu.platform.security.Tokens.urlToken());
    ctx.session().put(AUTH_TIME, java.time.Instant.now().getEpochSecond());
  }

  /**
   * A new session id at sign-in against session fixation, when the browser came with a session: a
   * session this request created already has a fresh random id that nobody else can know, and
   * regenerating it would only delete a stored session that never existed.
   */
  private static void regenerateIfPresented(RoutingContext ctx) {
    if (ctx.request().getCookie(HttpVerticle.SESSION_COOKIE) != null) {
      ctx.session().regenerateId();
    }
  }

  /** Re-binds after a credential change in this session, so this session stays valid. */
  public static void refreshStamp(RoutingContext ctx, int stamp) {
    ctx.session().regenerateId();
    ctx.session().put(STAMP, stamp);
  }

  public static void signInStaff(RoutingContext ctx, Staff member) {
    ctx.session().regenerateId();
    ctx.session().put(STAFF, member.id().toString());
  }

  public static void signOutCitizen(RoutingContext ctx) {
    if (ctx.session() != null) {
      ctx.session().remove(ACCOUNT);
      ctx.session().remove(STAMP);
      ctx.session().remove(SID);
      ctx.session().remove(AUTH_TIME);
      if (ctx.session().get(STAFF) == null) {
        ctx.session().destroy();
      }
    }
  }

  public static void signOutStaff(RoutingContext ctx) {
    if (ctx.session() != null) {
      ctx.session().remove(STAFF);
      if (ctx.session().get(ACCOUNT) == null) {
        ctx.session().destroy();
      }
    }
  }
}

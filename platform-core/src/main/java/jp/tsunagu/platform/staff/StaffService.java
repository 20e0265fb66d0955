package jp.tsunagu.platform.staff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.platform.account.AccountService;
import jp.tsunagu.platform.account.EmailAddress;
import jp.tsunagu.platform.account.PasswordPolicy;
import jp.tsunagu.platform.audit.AuditLog;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.ratelimit.RateLimiter;
import jp.tsunagu.platform.ratelimit.RateLimiter.Limit;
import jp.tsunagu.platform.security.PasswordHasher;

/** Staff accounts and their sign-in. Staff see and touch only their own municipality. */
public final class StaffService {
  private final Pool pool;
  private final PasswordHasher hasher;
  private final RateLimiter limiter;
  private final Limit signInLimit;

  public StaffService(Pool pool, PasswordHasher hasher, RateLimiter limiter, int attemptsPer15Min) {
    this.pool = pool;
    this.hasher = hasher;
    this.limiter = limiter;
    this.signInLimit = new Limit("staff-signin", attemptsPer15Min, 900);
  }

  public Future<Staff> signIn(String rawEmail, String password, String clientAddress) {
    String email;
    try {
      email = EmailAddress.normalise(rawEmail);
    } catch (ProblemException e) {
      return Future.failedFuture(invalid());
    }
    return limiter.check(signInLimit, email)
        .compose(v -> limiter.check(signInLimit, "ip:" + clientAddress))
        .compose(v -> byEmail(email))
        .compose(found -> hasher.verify(password == null ? "" : password, found.map(Staff::passwordHash).orElse(null))
            .compose(ok -> ok && found.isPresent() && !found.get().disabled()
                ? Future.succeededFuture(found.get())
                : limiter.record(signInLimit, email).compose(x -> limiter.record(signInLimit, "ip:" + clientAddress))
                    .compose(x -> Future.failedFuture(invalid()))));
  }

  /** Creates a staff account; called by a platform operator (any tenant) or a tenant admin (own tenant). */
  public Future<Staff> create(Staff actor, String tenantCode, String rawEmail, String displayName, Set<Role> roles,
                              String initialPassword) {
    String email = EmailAddress.normalise(rawEmail);
    if (roles.isEmpty()) {
      return Future.failedFuture(ProblemException.badRequest("invalid-roles", "At least one role is required"));
    }
    boolean operator = roles.contains(Role.PLATFORM_OPERATOR);
    if (operator && (tenantCode != null || !actor.operator())) {
      return Future.failedFuture(ProblemException.forbidden("Only platform operators create platform operators, without a tenant"));
    }
    if (!operator && tenantCode == null) {
      return Future.failedFuture(ProblemException.badRequest("invalid-roles", "Municipal roles need a municipality"));
    }
    if (displayName == null || displayName.isBlank() || displayName.length() > 100) {
      return Future.failedFuture(ProblemException.badRequest("invalid-display-name", "A display name of 1 to 100 characters is required"));
    }
    PasswordPolicy.check(initialPassword, email);
    UUID id = UUID.randomUUID();
    String[] roleIds = roles.stream().map(Role::id).sorted().toArray(String[]::new);
    return hasher.hash(initialPassword)
        .compose(hash -> pool.withTransaction(tx -> tx.preparedQuery(
                "INSERT INTO staff (id, tenant_code, email, display_name, password_hash, roles) VALUES ($1, $2, $3, $4, $5, $6)")
            .execute(Tuple.of(id, tenantCode, email, displayName.strip(), hash, roleIds))
            .compose(r -> AuditLog.record(tx, tenantCode, actor.id(), "staff.created", "staff", id.toString(),
                new JsonObject().put("email", email).put("roles", Arrays.asList(roleIds))))))
        .recover(err -> AccountService.isUniqueViolation(err)
            ? Future.failedFuture(ProblemException.conflict("email-taken", "A staff account with this e-mail address exists already"))
            : Future.failedFuture(err))
        .compose(v -> byId(id).map(Optional::orElseThrow));
  }

  public Future<List<Staff>> list(String tenantCode) {
    return pool.preparedQuery("SELECT * FROM staff WHERE tenant_code = $1 ORDER BY email").execute(Tuple.of(tenantCode))
        .map(rows -> {
          List<Staff> out = new ArrayList<>();
          rows.forEach(r -> out.add(map(r)));
          return out;
        });
  }

  public Future<Optional<Staff>> byId(UUID id) {
    return pool.preparedQuery("SELECT * FROM staff WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
  }

  public Future<Optional<Staff>> byEmail(String email) {
    return pool.preparedQuery("SELECT * FROM staff WHERE email = $1").execute(Tuple.of(email))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
  }

  /**
   * Checks that a staff member may act on a municipality with one of the roles: operators may act
   * on every municipality, everyone else only on their own. Anything else is 403 (or 404 for a
   * municipality the actor may not know of).
   */
  public static void authorise(Staff actor, String tenantCode, Role... anyOf) {
    if (actor.operator()) {
      return;
    }
    if (!tenantCode.equals(actor.tenantCode())) {
      throw ProblemException.notFound("Municipality " + tenantCode);
    }
    for (Role r : anyOf) {
      if (actor.has(r)) {
        return;
      }
    }
    throw ProblemException.forbidden("This needs the role " + String.join(" or ", Arrays.stream(anyOf).map(Role::id).toList()));
  }

  private static ProblemException invalid() {
    return new ProblemException(401, "invalid-credentials", "Sign-in failed", "The e-mail address or password is not correct");
  }

  private static Staff map(Row r) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String s : r.getArrayOfStrings("roles")) {
      roles.add(Role.of(s));
    }
    return new Staff(r.getUUID("id"), r.getString("tenant_code"), r.getString("email"), r.getString("display_name"),
        roles, r.getString("password_hash"), r.getOffsetDateTime("disabled_at") != null);
  }
}

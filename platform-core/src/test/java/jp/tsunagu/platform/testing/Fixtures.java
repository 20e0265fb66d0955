package jp.tsunagu.platform.testing;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.platform.Services;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.tenant.Tenant;

/** Test data written through the platform's own services (so every rule they check applies). */
public final class Fixtures {
  public static final String PASSWORD = "correct horse battery";
  public static final String SHIMADA = "222097";
  public static final String ICHIHARA = "122190";

  private final Services services;

  public Fixtures(TestPlatform node) {
    this.services = node.platform().services();
  }

  /**
   * Takes one place in the node's password queue for a second or more: a check of a stored hash
   * whose own cost (128 MiB, 10 passes) is far above the node's; the check answers false.
   */
  public Future<Boolean> slowPasswordCheck() {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    String slow = "$argon2id$v=19$m=131072,t=10,p=1$" + b64.encodeToString(new byte[16]) + "$" + b64.encodeToString(new byte[32]);
    return services.hasher().verify("anything", slow);
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public Staff operator(String email) {
    return await(services.staff().create(Staff.SYSTEM, null, email, "Operator", Set.of(Role.PLATFORM_OPERATOR), PASSWORD));
  }

  /** A municipality with two districts, and a staff member with the given roles. */
  public Staff tenantWithStaff(String code, String nameJa, String staffEmail, Role... roles) {
    Staff op = operator("op-" + code + "-" + System.nanoTime() + "@tsunagu.example");
    await(services.tenants().create(op.id(), new Tenant(code, nameJa, "City " + code, "静岡県", new JsonObject())));
    await(services.tenants().importDistrictCsv(op.id(), code, "code,kind,name_ja\nd1,chome,一丁目\nd2,school,第一小学校区\n"));
    return await(services.staff().create(op, code, staffEmail, "Staff " + code, EnumSet.of(roles[0], roles), PASSWORD));
  }

  /** A citizen account with a verified e-mail address. */
  public Account verifiedCitizen(String email) {
    Account a = await(services.accounts().signUp(email, PASSWORD, "テスト 市民", "ja"));
    await(services.pool().preparedQuery("UPDATE account SET email_verified_at = now() WHERE id = $1").execute(Tuple.of(a.id())));
    return a;
  }

  /**
   * A citizen whose residence in {@code tenantCode} is verified, as a clerk's code makes it: a
   * resident record (district d1) is imported and its code entered.
   */
  public Account residentCitizen(String email, String tenantCode, String familyName, String givenName, String familyKana,
                                 String givenKana) {
    Account a = verifiedCitizen(email);
    Staff clerk = await(services.staff().create(Staff.SYSTEM, tenantCode, "clerk-" + System.nanoTime() + "@" + tenantCode + ".example",
        "Clerk", EnumSet.of(Role.RESIDENT_CLERK), PASSWORD));
    await(services.residence().importCsv(clerk, tenantCode, "family_name,given_name,family_kana,given_kana,birth_date,district,household\n"
        + familyName + "," + givenName + "," + familyKana + "," + givenKana + ",1980-01-01,d1,H-" + System.nanoTime() + "\n"));
    var record = await(services.residence().search(tenantCode, familyKana + givenKana, 1)).get(0);
    var code = await(services.residence().issueCode(clerk, await(services.tenants().require(tenantCode)), record.id()));
    await(services.residence().verify(a.id(), code.code(), "127.0.0.1"));
    return a;
  }

  /** The newest mail sent to an address (from the outbox). */
  public JsonObject lastMailTo(String email) {
    return await(services.outbox().recent(200)).stream().map(JsonObject.class::cast)
        .filter(m -> m.getString("to").equals(email)).findFirst()
        .orElseThrow(() -> new AssertionError("no mail to " + email));
  }

  /** The token in the link of a mail body. */
  public static String tokenIn(JsonObject mail) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("token=([A-Za-z0-9_-]+)").matcher(mail.getString("body"));
    if (!m.find()) {
      throw new AssertionError("no token link in " + mail.getString("body"));
    }
    return m.group(1);
  }
}

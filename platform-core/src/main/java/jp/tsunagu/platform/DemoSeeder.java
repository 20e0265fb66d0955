package jp.tsunagu.platform;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.EnumSet;
import java.util.Set;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.tenant.Tenant;
import jp.tsunagu.platform.web.DemoRpPages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo municipality (島田市, code 222097) with districts, staff, resident records and a demo
 * citizen, created on the first start with {@code demo=true}; every start prints the sign-in
 * details and a fresh residence code for the demo citizen.
 */
final class DemoSeeder {
  private static final Logger LOG = LoggerFactory.getLogger(DemoSeeder.class);

  static final String TENANT = "222097";
  static final String OPERATOR = "operator@tsunagu.example";
  static final String OPERATOR_PASSWORD = "demo-operator-2026";
  static final String ADMIN = "admin@shimada.example";
  static final String ADMIN_PASSWORD = "demo-admin-2026";
  static final String CLERK = "clerk@shimada.example";
  static final String CLERK_PASSWORD = "demo-clerk-2026";
  static final String CITIZEN = "hanako@tsunagu.example";
  static final String CITIZEN_PASSWORD = "demo-hanako-2026";

  private static final String DISTRICTS = """
      code,kind,name_ja,name_kana,name_en
      honcho-1,chome,本通一丁目,ほんとおりいっちょうめ,Hondori 1-chome
      honcho-2,chome,本通二丁目,ほんとおりにちょうめ,Hondori 2-chome
      rokugo,chome,六合,ろくごう,Rokugo
      kanaya,chome,金谷,かなや,Kanaya
      shimada-es,school,島田第一小学校区,しまだだいいちしょうがっこうく,Shimada No.1 Elementary School district
      """;
  private static final String RESIDENTS = """
      family_name,given_name,family_kana,given_kana,birth_date,district,household
      島田,花子,シマダ,ハナコ,1990-04-12,honcho-1,H-0001
      島田,陽翔,シマダ,ハルト,2019-06-03,honcho-1,H-0001
      島田,結衣,シマダ,ユイ,2023-11-20,honcho-1,H-0001
      大井,太郎,オオイ,タロウ,1958-01-30,kanaya,H-0002
      大井,和子,オオイ,カズコ,1960-09-09,kanaya,H-0002
      """;

  private final Services services;

  DemoSeeder(Services services) {
    this.services = services;
  }

  Future<Void> seed() {
    return services.tenants().find(TENANT).compose(existing -> existing.isPresent() ? Future.succeededFuture() : create())
        .compose(v -> services.staff().byEmail(OPERATOR))
        .compose(op -> new DemoContent(services).seedOnce(op.orElseThrow()))
        .compose(v -> demoService())
        .compose(v -> printWelcome());
  }

  private Future<Void> create() {
    Staff system = Staff.SYSTEM;
    Tenant shimada = new Tenant(TENANT, "島田市", "Shimada City", "静岡県",
        new JsonObject().put("primaryColor", "#1d6b3a").put("tagline", "緑茶のまち"));
    return services.staff().create(system, null, OPERATOR, "Platform operator", Set.of(Role.PLATFORM_OPERATOR), OPERATOR_PASSWORD)
        .compose(op -> services.tenants().create(op.id(), shimada).map(op))
        .compose(op -> services.tenants().importDistrictCsv(op.id(), TENANT, DISTRICTS).map(op))
        .compose(op -> services.staff().create(op, TENANT, ADMIN, "島田市 管理者", EnumSet.of(Role.TENANT_ADMIN, Role.AUDITOR), ADMIN_PASSWORD))
        .compose(admin -> services.staff().create(admin, TENANT, CLERK, "島田市 市民課", EnumSet.of(Role.RESIDENT_CLERK), CLERK_PASSWORD))
        .compose(clerk -> services.residence().importCsv(clerk, TENANT, RESIDENTS))
        .compose(n -> services.accounts().signUp(CITIZEN, CITIZEN_PASSWORD, "島田 花子", "ja"))
        .compose(citizen -> services.pool().preparedQuery("UPDATE account SET email_verified_at = now() WHERE id = $1")
            .execute(Tuple.of(citizen.id())).map(citizen))
        .compose(citizen -> services.accounts().cache().invalidate(citizen.id()));
  }

  /**
   * The demo service (an OpenID Connect client with a fixed secret, for the local demo only),
   * registered again when the public URL changed since the last start.
   */
  private Future<Void> demoService() {
    String url = services.config().publicUrl();
    String redirect = DemoRpPages.redirectUri(url);
    var clients = services.oidc().clients();
    return clients.find(DemoRpPages.CLIENT_ID).compose(found -> {
      if (found.isPresent() && found.get().redirectUris().equals(java.util.List.of(redirect))
          && (url + "/demo-rp/login").equals(found.get().initiateLoginUri())) {
        return Future.succeededFuture();
      }
      JsonObject registration = new JsonObject().put("name", "デモサービス (Demo service)")
          .put("redirectUris", new io.vertx.core.json.JsonArray().add(redirect))
          .put("postLogoutRedirectUris", new io.vertx.core.json.JsonArray().add(url + "/demo-rp/"))
          .put("initiateLoginUri", url + "/demo-rp/login")
          .put("scopes", new io.vertx.core.json.JsonArray().add("openid").add("profile").add("email").add("municipality"))
          .put("grantTypes", new io.vertx.core.json.JsonArray().add("authorization_code").add("refresh_token"))
          .put("purposes", new io.vertx.core.json.JsonArray()
              .add(new JsonObject().put("id", "sign_in").put("label", new JsonObject()
                  .put("ja", "デモサービスへのサインインと本人の確認").put("en", "Signing in to the demo service and confirming who you are")))
              .add(new JsonObject().put("id", "newsletter").put("label", new JsonObject()
                  .put("ja", "デモサービスからのお知らせの送付").put("en", "Sending you the demo service's news"))));
      return (found.isPresent() ? clients.delete(Staff.SYSTEM, TENANT, DemoRpPages.CLIENT_ID) : Future.<Void>succeededFuture())
          .compose(v -> clients.register(Staff.SYSTEM, TENANT, DemoRpPages.CLIENT_ID, registration, DemoRpPages.CLIENT_SECRET))
          .mapEmpty();
    });
  }

  private Future<Void> printWelcome() {
    return services.staff().byEmail(CLERK)
        .compose(clerk -> services.tenants().require(TENANT)
            .compose(t -> services.residence().search(TENANT, "シマダハナコ", 1)
                .compose(records -> records.isEmpty() ? Future.succeededFuture(null)
                    : services.residence().issueCode(clerk.orElseThrow(), t, records.get(0).id()))))
        .map(code -> {
          String url = services.config().publicUrl();
          LOG.info("""

              ==== Tsunagu demo ({}) ====
              Citizen:            {} / {}   ({}/account)
              Residence code:     {}   (for 島田 花子, enter it on the account page)
              Staff (admin):      {} / {}   ({}/staff)
              Staff (clerk):      {} / {}
              Staff (editor):     {} / {}   (pages; citizens search at {}/search)
              Platform operator:  {} / {}
              API:                {}/api-docs
              Mail outbox:        {}/dev/outbox
              Demo service:       {}/demo-rp/   (OpenID Connect relying party)
                client_id         {}
                client_secret     {}   (client_secret_basic)
                redirect_uri      {}
                issuer            {}   ({}/.well-known/openid-configuration)
              """, url, CITIZEN, CITIZEN_PASSWORD, url, code == null ? "(already verified)" : code.code(),
              ADMIN, ADMIN_PASSWORD, url, CLERK, CLERK_PASSWORD, DemoContent.EDITOR, DemoContent.EDITOR_PASSWORD, url,
              OPERATOR, OPERATOR_PASSWORD, url, url,
              url, DemoRpPages.CLIENT_ID, DemoRpPages.CLIENT_SECRET, DemoRpPages.redirectUri(url), url, url);
          return null;
        });
  }
}

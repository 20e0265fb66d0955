package jp.tsunagu.platform.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import jp.tsunagu.api.client.StaffApi;
import jp.tsunagu.api.client.TenantApi;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.api.invoker.ApiException;
import jp.tsunagu.api.model.AuditEntry;
import jp.tsunagu.api.model.District;
import jp.tsunagu.api.model.DistrictList;
import jp.tsunagu.api.model.NewStaff;
import jp.tsunagu.api.model.Role;
import jp.tsunagu.api.model.SignInRequest;
import jp.tsunagu.api.model.Staff;
import jp.tsunagu.api.model.Tenant;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Operators create municipalities; tenant admins manage staff and districts; everything is audited. */
class TenantAdminIT {
  static TestPlatform node;
  static Fixtures fixtures;

  @BeforeAll
  static void start() {
    node = TestPlatform.start();
    fixtures = new Fixtures(node);
    fixtures.operator("root@tsunagu.example");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static ApiClient signedIn(String email, String password) throws ApiException {
    ApiClient client = node.client();
    new StaffApi(client).staffSignIn(new SignInRequest().email(email).password(password));
    return client;
  }

  @Test
  void operatorCreatesMunicipalityAdminCreatesStaffAndDistricts() throws Exception {
    TenantApi operator = new TenantApi(signedIn("root@tsunagu.example", Fixtures.PASSWORD));
    Tenant ichihara = new Tenant().code("122190").nameJa("市原市").nameEn("Ichihara City").prefecture("千葉県");
    assertEquals("市原市", operator.createTenant(ichihara).getNameJa());
    assertEquals(409, assertThrows(ApiException.class, () -> operator.createTenant(ichihara)).getCode());
    ApiException checkDigit = assertThrows(ApiException.class,
        () -> operator.createTenant(new Tenant().code("122191").nameJa("x").nameEn("x").prefecture("x")));
    assertEquals(400, checkDigit.getCode());
    assertTrue(checkDigit.getResponseBody().contains("invalid-tenant-code"));

    Staff admin = operator.createStaff("122190", new NewStaff().email("admin@ichihara.example").displayName("管理者")
        .roles(java.util.Set.of(Role.TENANT_ADMIN, Role.AUDITOR)).initialPassword("ichihara admin pass"));
    assertEquals("122190", admin.getTenantCode());

    TenantApi tenantAdmin = new TenantApi(signedIn("admin@ichihara.example", "ichihara admin pass"));
    tenantAdmin.createStaff("122190", new NewStaff().email("clerk@ichihara.example").displayName("市民課")
        .roles(java.util.Set.of(Role.RESIDENT_CLERK)).initialPassword("ichihara clerk pass"));
    assertEquals(403, assertThrows(ApiException.class, () -> tenantAdmin.createStaff("122190", new NewStaff()
        .email("op2@ichihara.example").displayName("x").roles(java.util.Set.of(Role.PLATFORM_OPERATOR)).initialPassword("a long password 1"))).getCode());
    assertEquals(403, assertThrows(ApiException.class, () -> tenantAdmin.createTenant(
        new Tenant().code("131016").nameJa("千代田区").nameEn("Chiyoda").prefecture("東京都"))).getCode());

    assertEquals(2, tenantAdmin.importDistricts("122190", new DistrictList().items(List.of(
        new District().code("goi").kind(District.KindEnum.CHOME).nameJa("五井"),
        new District().code("anesaki-es").kind(District.KindEnum.SCHOOL).nameJa("姉崎小学校区")))).getImported());
    ApiClient adminClient = signedIn("admin@ichihara.example", "ichihara admin pass");
    HttpResponse<String> csv = adminClient.getHttpClient().send(HttpRequest.newBuilder(
            URI.create(node.baseUrl() + "/api/v1/tenants/122190/districts"))
        .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(
            "code,kind,name_ja,name_kana\ngoi,chome,五井,ごい\nyawata,chome,八幡,やわた\n")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, csv.statusCode(), csv.body());
    assertEquals(3, new TenantApi(node.client()).listDistricts("122190").getItems().size(), "public list, upserted by code");
    HttpResponse<String> badKind = adminClient.getHttpClient().send(HttpRequest.newBuilder(
            URI.create(node.baseUrl() + "/api/v1/tenants/122190/districts"))
        .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(
            "code,kind,name_ja\nx1,chome,ok\nx2,village,bad\n")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(422, badKind.statusCode());
    assertTrue(badKind.body().contains("\"line\":3"), badKind.body());
    assertEquals(3, new TenantApi(node.client()).listDistricts("122190").getItems().size(), "nothing half-imported");

    TenantApi clerk = new TenantApi(signedIn("clerk@ichihara.example", "ichihara clerk pass"));
    assertEquals(403, assertThrows(ApiException.class, () -> clerk.listStaff("122190")).getCode());
    assertEquals(403, assertThrows(ApiException.class, () -> clerk.listAuditLog("122190", null, 10)).getCode());

    List<AuditEntry> audit = tenantAdmin.listAuditLog("122190", null, 100).getItems();
    List<String> actions = audit.stream().map(AuditEntry::getAction).toList();
    assertTrue(actions.containsAll(List.of("tenant.created", "staff.created", "districts.imported")), actions.toString());
    assertEquals(2, tenantAdmin.listStaff("122190").getItems().size());
    assertEquals(audit.size() - 2, tenantAdmin.listAuditLog("122190", audit.get(1).getId(), 100).getItems().size(),
        "paging by id");
  }
}

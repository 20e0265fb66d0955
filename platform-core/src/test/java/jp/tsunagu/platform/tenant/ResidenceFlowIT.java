package jp.tsunagu.platform.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;
import jp.tsunagu.api.client.CitizenApi;
import jp.tsunagu.api.client.StaffApi;
import jp.tsunagu.api.client.TenantApi;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.api.invoker.ApiException;
import jp.tsunagu.api.model.Account;
import jp.tsunagu.api.model.ClaimDependantRequest;
import jp.tsunagu.api.model.HouseholdChild;
import jp.tsunagu.api.model.IssuedCode;
import jp.tsunagu.api.model.NewResidentRecord;
import jp.tsunagu.api.model.ResidenceCodeRequest;
import jp.tsunagu.api.model.ResidentRecord;
import jp.tsunagu.api.model.SignInRequest;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Resident records, residence codes (住民照合) and household guardianship through the API. */
class ResidenceFlowIT {
  static TestPlatform node;
  static Fixtures fixtures;

  static final String CSV = """
      family_name,given_name,family_kana,given_kana,birth_date,district,household
      山田,一郎,やまだ,いちろう,1985-02-01,d1,H1
      山田,さくら,ヤマダ,サクラ,2020-05-05,d1,H1
      山田,祖母,ヤマダ,ソボ,1950-05-05,d1,H1
      鈴木,次郎,スズキ,ジロウ,1970-03-03,d2,H2
      """;

  @BeforeAll
  static void start() {
    node = TestPlatform.start();
    fixtures = new Fixtures(node);
    fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "clerk@shimada.example", Role.RESIDENT_CLERK);
    fixtures.tenantWithStaff(Fixtures.ICHIHARA, "市原市", "clerk@ichihara.example", Role.RESIDENT_CLERK, Role.TENANT_ADMIN);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static ApiClient staff(String email) throws ApiException {
    ApiClient client = node.client();
    new StaffApi(client).staffSignIn(new SignInRequest().email(email).password(Fixtures.PASSWORD));
    return client;
  }

  static HttpResponse<String> postCsv(ApiClient client, String tenant, String csv) throws Exception {
    HttpClient http = client.getHttpClient();
    return http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/tenants/" + tenant + "/resident-records"))
        .header("Content-Type", "text/csv; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(csv)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void clerkImportsIssuesCodeAndCitizenBecomesResidentWithHousehold() throws Exception {
    ApiClient clerk = staff("clerk@shimada.example");
    HttpResponse<String> imported = postCsv(clerk, Fixtures.SHIMADA, CSV);
    assertEquals(200, imported.statusCode(), imported.body());
    assertTrue(imported.body().contains("\"imported\":4"));

    TenantApi tenants = new TenantApi(clerk);
    List<ResidentRecord> found = tenants.listResidentRecords(Fixtures.SHIMADA, "ヤマダイチロウ", 10).getItems();
    assertEquals(1, found.size());
    IssuedCode code = tenants.issueResidenceCode(Fixtures.SHIMADA, found.get(0).getId());
    assertTrue(code.getCode().matches("[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}"));
    assertTrue(code.getLetter().contains("山田 一郎 様"));
    assertTrue(code.getLetter().contains(code.getCode()));

    fixtures.verifiedCitizen("ichiro@example.jp");
    CitizenApi citizen = new CitizenApi(node.client());
    citizen.signIn(new SignInRequest().email("ichiro@example.jp").password(Fixtures.PASSWORD));
    assertEquals(403, assertThrows(ApiException.class, citizen::getHousehold).getCode());
    // typed as people type it: lower case, full-width, spaces instead of hyphens
    String typed = code.getCode().toLowerCase().replace('-', ' ');
    assertEquals(Fixtures.SHIMADA, citizen.verifyResidence(new ResidenceCodeRequest().code(typed)).getTenantCode());
    Account me = citizen.getMyAccount();
    assertEquals(Account.AssuranceLevelEnum.RESIDENT, me.getAssuranceLevel());
    assertEquals("d1", me.getResidence().getDistrictCode());

    List<HouseholdChild> children = citizen.getHousehold().getChildren();
    assertEquals(1, children.size(), "only the child under 18, not the grandmother or the citizen");
    assertEquals("さくら", children.get(0).getGivenName());
    citizen.claimDependant(new ClaimDependantRequest().recordId(children.get(0).getRecordId()));
    citizen.claimDependant(new ClaimDependantRequest().recordId(children.get(0).getRecordId()));
    assertTrue(citizen.getHousehold().getChildren().get(0).getClaimed());
    ApiException notMine = assertThrows(ApiException.class, () -> citizen.claimDependant(
        new ClaimDependantRequest().recordId(java.util.UUID.randomUUID())));
    assertEquals(404, notMine.getCode());

    // the code is single-use
    fixtures.verifiedCitizen("other@example.jp");
    CitizenApi other = new CitizenApi(node.client());
    other.signIn(new SignInRequest().email("other@example.jp").password(Fixtures.PASSWORD));
    assertEquals(410, assertThrows(ApiException.class, () -> other.verifyResidence(new ResidenceCodeRequest().code(code.getCode()))).getCode());

    // audit trail of the clerk's work
    ApiClient admin = staff("clerk@ichihara.example");
    assertEquals(404, assertThrows(ApiException.class, () -> new TenantApi(admin).listAuditLog(Fixtures.SHIMADA, null, 10)).getCode());
  }

  @Test
  void badCsvImportsNothingAndReportsEveryBadLine() throws Exception {
    ApiClient clerk = staff("clerk@shimada.example");
    String bad = """
        family_name,given_name,family_kana,given_kana,birth_date,district,household
        佐藤,花,サトウ,ハナ,1990-01-01,d1,H9
        佐藤,未来,サトウ,ミライ,2999-01-01,d1,H9
        佐藤,太,sato,フトシ,1990-01-01,d1,H9
        佐藤,空,サトウ,ソラ,1990-13-01,d1,H9
        佐藤,海,サトウ
        """;
    HttpResponse<String> response = postCsv(clerk, Fixtures.SHIMADA, bad);
    assertEquals(422, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"));
    for (int line : new int[] {3, 4, 5, 6}) {
      assertTrue(response.body().contains("\"line\":" + line), "line " + line + " reported: " + response.body());
    }
    assertEquals(0, new TenantApi(clerk).listResidentRecords(Fixtures.SHIMADA, "サトウ", 10).getItems().size());

    HttpResponse<String> unknownDistrict = postCsv(clerk, Fixtures.SHIMADA,
        "family_name,given_name,family_kana,given_kana,birth_date,district,household\n佐藤,花,サトウ,ハナ,1990-01-01,zz,H9\n");
    assertEquals(422, unknownDistrict.statusCode());
    HttpResponse<String> noHeader = postCsv(clerk, Fixtures.SHIMADA, "a,b\n1,2\n");
    assertEquals(422, noHeader.statusCode());
  }

  @Test
  void staffSeeOnlyTheirOwnMunicipality() throws Exception {
    ApiClient ichihara = staff("clerk@ichihara.example");
    TenantApi api = new TenantApi(ichihara);
    assertEquals(404, assertThrows(ApiException.class, () -> api.listResidentRecords(Fixtures.SHIMADA, null, 10)).getCode());
    assertEquals(404, assertThrows(ApiException.class, () -> api.importResidentRecords(Fixtures.SHIMADA,
        new NewResidentRecord().familyName("侵").givenName("入").familyKana("シン").givenKana("ニュウ")
            .birthDate(LocalDate.of(1990, 1, 1)).districtCode("d1").householdId("X"))).getCode());
    assertEquals(404, postCsv(ichihara, Fixtures.SHIMADA, CSV).statusCode());
    assertEquals(401, assertThrows(ApiException.class, () -> new TenantApi(node.client()).listStaff(Fixtures.SHIMADA)).getCode());
    assertEquals(404, assertThrows(ApiException.class, () -> api.getTenant("999999")).getCode());
    assertEquals(400, assertThrows(ApiException.class, () -> api.getTenant("12ab56")).getCode());
  }

  @Test
  void wrongCodesAreRateLimited() throws Exception {
    fixtures.verifiedCitizen("guesser@example.jp");
    CitizenApi citizen = new CitizenApi(node.client());
    citizen.signIn(new SignInRequest().email("guesser@example.jp").password(Fixtures.PASSWORD));
    for (int i = 0; i < 5; i++) {
      assertEquals(400, assertThrows(ApiException.class,
          () -> citizen.verifyResidence(new ResidenceCodeRequest().code("AAAA-BBBB-CCCC"))).getCode());
    }
    ApiException limited = assertThrows(ApiException.class,
        () -> citizen.verifyResidence(new ResidenceCodeRequest().code("AAAA-BBBB-CCCC")));
    assertEquals(429, limited.getCode());
    assertNotNull(limited.getResponseHeaders().firstValue("retry-after").orElse(null));
  }

  @Test
  void reissuedCodeReplacesTheOldOneAndExpiredCodesAreRefused() throws Exception {
    ApiClient clerk = staff("clerk@ichihara.example");
    TenantApi tenants = new TenantApi(clerk);
    tenants.importResidentRecords(Fixtures.ICHIHARA, new NewResidentRecord().familyName("市原").givenName("太郎")
        .familyKana("イチハラ").givenKana("タロウ").birthDate(LocalDate.of(1980, 1, 1)).districtCode("d2").householdId("I1"));
    ResidentRecord record = tenants.listResidentRecords(Fixtures.ICHIHARA, "イチハラ", 5).getItems().get(0);
    IssuedCode first = tenants.issueResidenceCode(Fixtures.ICHIHARA, record.getId());
    IssuedCode second = tenants.issueResidenceCode(Fixtures.ICHIHARA, record.getId());

    fixtures.verifiedCitizen("taro@example.jp");
    CitizenApi citizen = new CitizenApi(node.client());
    citizen.signIn(new SignInRequest().email("taro@example.jp").password(Fixtures.PASSWORD));
    assertEquals(410, assertThrows(ApiException.class, () -> citizen.verifyResidence(new ResidenceCodeRequest().code(first.getCode()))).getCode());
    Fixtures.await(node.platform().services().pool()
        .query("UPDATE residence_code SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL AND revoked_at IS NULL").execute());
    ApiException expired = assertThrows(ApiException.class, () -> citizen.verifyResidence(new ResidenceCodeRequest().code(second.getCode())));
    assertEquals(410, expired.getCode());
    assertTrue(expired.getResponseBody().contains("code-expired"));
  }
}

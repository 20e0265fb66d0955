package jp.tsunagu.platform.consentlink;

import static jp.tsunagu.platform.testing.Fixtures.await;
import static jp.tsunagu.platform.testing.JsonApi.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.consent.declaration.DeclaredItem;
import jp.tsunagu.consent.declaration.DeclaredPurpose;
import jp.tsunagu.consent.declaration.LocalizedText;
import jp.tsunagu.consent.declaration.ServiceDeclaration;
import jp.tsunagu.platform.Services;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.JsonApi;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decisions made for someone else and recorded as such: a clerk records a resident's decision on a
 * paper form (assisted mode, with the form's reference), and a guardian decides for a child they
 * have claimed. Each is refused when the acting person may not act for that citizen.
 */
class ConsentOnBehalfIT {
  static TestPlatform node;
  static Fixtures fixtures;
  static Services services;
  static UUID parentRecord;
  static UUID childRecord;
  static UUID otherChildRecord;
  static UUID noAccountRecord;
  static Account parent;

  @BeforeAll
  static void start() throws Exception {
    node = TestPlatform.start();
    fixtures = new Fixtures(node);
    services = node.platform().services();
    fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "clerk@shimada.example", Role.RESIDENT_CLERK);
    fixtures.tenantWithStaff(Fixtures.ICHIHARA, "市原市", "clerk@ichihara.example", Role.RESIDENT_CLERK);
    Staff clerk = await(services.staff().byEmail("clerk@shimada.example")).orElseThrow();
    int year = java.time.LocalDate.now().getYear();
    await(services.residence().importCsv(clerk, Fixtures.SHIMADA, "family_name,given_name,family_kana,given_kana,birth_date,district,household\n"
        + "藤枝,恵,フジエダ,メグミ,1985-04-01,d1,H-F\n"
        + "藤枝,陽,フジエダ,ヒナタ," + (year - 3) + "-06-01,d1,H-F\n"
        + "藤枝,空,フジエダ,ソラ," + (year - 5) + "-06-01,d1,H-F\n"
        + "掛川,一,カケガワ,ハジメ,1940-01-01,d2,H-K\n"));
    parentRecord = record("フジエダメグミ");
    childRecord = record("フジエダヒナタ");
    otherChildRecord = record("フジエダソラ");
    noAccountRecord = record("カケガワハジメ");
    parent = fixtures.verifiedCitizen("megumi@example.jp");
    var code = await(services.residence().issueCode(clerk, await(services.tenants().require(Fixtures.SHIMADA)), parentRecord));
    await(services.residence().verify(parent.id(), code.code(), "127.0.0.1"));
    await(services.residence().claimDependant(parent.id(), childRecord));
    await(services.consent().declarations().publish(new ServiceDeclaration(Fixtures.SHIMADA, "parent-handbook", 1,
        new LocalizedText("親子手帳に、健診の記録のため氏名と生年月日をお知らせします。", "Name and birth date go to the parent handbook for check-ups."),
        List.of(new DeclaredItem("name", true, new LocalizedText("氏名", "Name")),
            new DeclaredItem("birth_date", false, new LocalizedText("生年月日", "Birth date"))),
        List.of(new DeclaredPurpose("checkups", new LocalizedText("健診の記録", "Check-up records"))),
        "parent-handbook", Optional.empty(), Instant.now())));
  }

  static UUID record(String kana) {
    return await(services.residence().search(Fixtures.SHIMADA, kana, 1)).get(0).id();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static JsonObject assisted(String decision) {
    return new JsonObject().put("serviceId", "parent-handbook").put("noticeVersion", 1).put("decision", decision)
        .put("items", new JsonArray().add("name")).put("purposes", new JsonArray().add("checkups"))
        .put("channel", "paper_form").put("evidenceRef", "紙-2026-0042");
  }

  @Test
  void aClerkRecordsAPaperDecisionForAResidentAndTheResidentSeesWhoRecordedIt() throws Exception {
    JsonApi clerk = JsonApi.staff(node, "clerk@shimada.example");
    String path = "/api/v1/tenants/222097/resident-records/" + parentRecord + "/consents";
    problem(clerk.send("POST", path, assisted("give").put("evidenceRef", "  ")), 400, null);
    problem(clerk.send("POST", path, assisted("give").put("channel", "web")), 400, null);
    problem(clerk.send("POST", path, assisted("give").put("items", new JsonArray().add("birth_date"))), 422, "required-item-missing");
    problem(clerk.send("POST", path, assisted("give").put("noticeVersion", 2)), 409, "stale-notice-version");
    problem(clerk.send("POST", "/api/v1/tenants/222097/resident-records/" + noAccountRecord + "/consents", assisted("give")), 422,
        "no-account");
    problem(clerk.send("POST", "/api/v1/tenants/222097/resident-records/" + UUID.randomUUID() + "/consents", assisted("give")), 404,
        null);
    // staff of another municipality are not told it exists
    problem(JsonApi.staff(node, "clerk@ichihara.example").send("POST", path, assisted("give")), 404, null);
    problem(new JsonApi(node.baseUrl()).send("POST", path, assisted("give")), 401, null);
    JsonApi resident = JsonApi.citizen(node, "megumi@example.jp");
    assertTrue(mine(resident).stream().noneMatch(o -> "parent-handbook".equals(((JsonObject) o).getString("serviceId"))),
        "nothing recorded by the refused requests");

    HttpResponse<String> given = clerk.send("POST", path, assisted("give"));
    assertEquals(201, given.statusCode(), given.body());
    JsonObject record = new JsonObject(given.body());
    assertEquals("staff_assisted", record.getString("givenBy"));
    assertEquals("paper_form", record.getString("channel"));
    JsonObject seen = (JsonObject) mine(resident).stream()
        .filter(o -> "parent-handbook".equals(((JsonObject) o).getString("serviceId"))).findFirst().orElseThrow();
    assertEquals(record.getString("id"), seen.getString("id"), "the resident sees the consent a clerk recorded for them");
    var audit = await(services.audit().list(Fixtures.SHIMADA, 20, Long.MAX_VALUE));
    assertTrue(audit.stream().anyMatch(e -> e.action().equals("consent.assisted") && e.detail().encode().contains("紙-2026-0042")));

    // the resident withdraws at the counter: recorded as assisted too
    HttpResponse<String> withdrawn = clerk.send("POST", path, assisted("withdraw").put("channel", "counter"));
    assertEquals(201, withdrawn.statusCode(), withdrawn.body());
    assertEquals("withdrawn", new JsonObject(withdrawn.body()).getString("state"));
  }

  static JsonArray mine(JsonApi citizen) throws Exception {
    return citizen.json("GET", "/api/v1/me/consents", null).getJsonArray("items");
  }

  @Test
  void aGuardianDecidesForTheirClaimedChildOnly() throws Exception {
    JsonApi guardian = JsonApi.citizen(node, "megumi@example.jp");
    String base = "/api/v1/me/dependants/" + childRecord + "/consents";
    JsonObject give = new JsonObject().put("tenantCode", "222097").put("serviceId", "parent-handbook").put("noticeVersion", 1)
        .put("decision", "give").put("items", new JsonArray().add("name").add("birth_date")).put("purposes", new JsonArray().add("checkups"));
    problem(guardian.send("POST", "/api/v1/me/dependants/" + otherChildRecord + "/consents", give), 404, null);
    problem(guardian.send("POST", base, give.copy().put("tenantCode", "122190")), 404, null);
    problem(guardian.send("POST", base, give.copy().put("items", new JsonArray().add("name").add("allergies"))), 422, "undeclared-item");
    fixtures.verifiedCitizen("stranger@example.jp");
    problem(JsonApi.citizen(node, "stranger@example.jp").send("POST", base, give), 403, null);

    HttpResponse<String> given = guardian.send("POST", base, give);
    assertEquals(201, given.statusCode(), given.body());
    JsonObject record = new JsonObject(given.body());
    assertEquals("guardian", record.getString("givenBy"));
    assertEquals(childRecord.toString(), await(services.consent().consents().latest(Fixtures.SHIMADA, childRecord.toString(),
        "parent-handbook")).orElseThrow().citizenId(), "the consent is the child's");
    assertTrue(await(services.consent().gate().decide(Fixtures.SHIMADA, childRecord.toString(), "parent-handbook", "birth_date",
        "checkups")).permitted());
    JsonArray list = guardian.json("GET", base, null).getJsonArray("items");
    assertEquals(1, list.size());
    problem(guardian.send("GET", "/api/v1/me/dependants/" + otherChildRecord + "/consents", null), 404, null);

    assertEquals(204, guardian.send("POST", base + "/" + record.getString("id") + "/withdrawal", null).statusCode());
    assertTrue(!await(services.consent().gate().decide(Fixtures.SHIMADA, childRecord.toString(), "parent-handbook", "birth_date",
        "checkups")).permitted(), "withdrawn for every node before the answer");
    problem(guardian.send("POST", base + "/" + UUID.randomUUID() + "/withdrawal", null), 404, null);
  }
}

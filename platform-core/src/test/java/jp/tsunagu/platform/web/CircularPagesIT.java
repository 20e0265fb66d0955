package jp.tsunagu.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import jp.tsunagu.platform.Services;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.circular.CircularService;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * A member in a real browser: joins an association giving consent with the optional item left
 * out, receives a circular, answers it, reads who read their data, and withdraws — after which the
 * officer no longer sees the member's name.
 */
class CircularPagesIT {
  static TestPlatform node;
  static Fixtures fixtures;
  static PageDriver page;

  @BeforeAll
  static void start() {
    node = TestPlatform.start();
    fixtures = new Fixtures(node);
    page = new PageDriver(node.baseUrl());
  }

  @AfterAll
  static void stop() {
    page.close();
    node.close();
  }

  @Test
  void consentCircularAnswerAccessLogAndWithdrawal() throws Exception {
    Services services = node.platform().services();
    Staff editor = fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    Account officer = fixtures.verifiedCitizen("officer@example.jp");
    fixtures.verifiedCitizen("hanako@example.jp");
    CircularService circulars = services.circulars();
    var association = Fixtures.await(circulars.createAssociation(editor, Fixtures.SHIMADA, "d1", "本通町内会", officer.id()));
    String code = Fixtures.await(circulars.addHousehold(officer.id(), association.id(), "1班-山田", "本通1-5")).getString("invitationCode");

    page.open("/sign-in");
    page.type("#email", "hanako@example.jp");
    page.type("#password", Fixtures.PASSWORD);
    page.submit("form[action='/sign-in'] button[type=submit]");
    page.open("/circulars/join");
    page.type("#code", code);
    assertFalse(page.find("#item-address").isSelected(), "optional items start unticked");
    page.find("#consent").click();
    page.submit("form[action='/circulars/join'] button[type=submit]");
    page.waitForPath("/circulars");
    assertTrue(page.notice().contains("参加しました"), page.notice());
    page.text("#no-circulars");

    UUID circular = UUID.fromString(Fixtures.await(circulars.send(officer.id(), association.id(), "清掃活動のお知らせ",
        "11月30日 午前9時 公民館前に集合", "参加しますか", List.of("参加", "不参加"), null)).getString("id"));
    page.open("/circulars");
    page.find("a[href='/circulars/" + circular + "']").click();
    page.waitForPath("/circulars/" + circular);
    assertEquals("清掃活動のお知らせ", page.text("#circular-title"));
    page.find("input[name=choice][value='参加']").click();
    page.submit("form[action='/circulars/" + circular + "/answer'] button[type=submit]");
    assertTrue(page.text("#my-answer").contains("参加"));
    page.screenshot("circular-phone", 390, 844);

    JsonObject report = Fixtures.await(circulars.report(officer.id(), association.id(), circular));
    JsonObject household = report.getJsonArray("households").getJsonObject(0);
    assertEquals("テスト 市民", household.getString("name"));
    assertNull(household.getString("addressBlock"), "the optional address block was left out");
    assertEquals(1L, report.getJsonObject("tally").getLong("参加"));

    page.open("/my-data");
    assertTrue(page.text("#chain-status").contains("改ざんされていません"));
    assertEquals(1, page.driver.findElements(By.cssSelector("tr.access")).size());
    assertTrue(page.text("tr.access").contains("氏名"), page.text("tr.access"));
    assertFalse(page.text("tr.access").contains("住所"), "the address block was never released");
    assertTrue(page.text("tr.consent").contains("本通町内会"), page.text("tr.consent"));
    page.screenshot("my-data", 1280, 900);
    page.submit("button.withdraw");
    page.waitForPath("/my-data");
    assertTrue(page.notice().contains("取り消しました"), page.notice());
    assertEquals("withdrawn", page.find("tr.consent").getAttribute("data-state"));

    JsonObject after = Fixtures.await(circulars.report(officer.id(), association.id(), circular));
    assertNull(after.getJsonArray("households").getJsonObject(0).getString("name"), "no name after withdrawal");
    page.open("/circulars");
    page.text("#no-circulars");
  }
}

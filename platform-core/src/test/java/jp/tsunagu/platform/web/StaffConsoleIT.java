package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import jp.tsunagu.platform.Services;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** The staff console in a real browser: clerks import residents and print code letters; admins and operators. */
class StaffConsoleIT {
  static TestPlatform node;
  static Fixtures fixtures;
  static Services services;
  PageDriver page;
  @TempDir
  Path files;

  @BeforeAll
  static void start() {
    node = TestPlatform.start();
    fixtures = new Fixtures(node);
    services = node.platform().services();
    fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "clerk@shimada.example", Role.RESIDENT_CLERK);
    fixtures.tenantWithStaff(Fixtures.ICHIHARA, "市原市", "admin@ichihara.example", Role.TENANT_ADMIN, Role.AUDITOR);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void browser() {
    page = new PageDriver(node.baseUrl());
  }

  @AfterEach
  void closeBrowser() {
    page.close();
  }

  void signIn(String email) {
    page.open("/staff/sign-in");
    page.type("#email", email);
    page.type("#password", Fixtures.PASSWORD);
    page.submit("form.card button[type=submit]");
  }

  @Test
  void clerkImportsResidentsIsToldEveryBadLineAndPrintsACodeLetter() throws Exception {
    signIn("clerk@shimada.example");
    page.waitForPath("/staff/t/" + Fixtures.SHIMADA);
    page.find("main a[href$='/residents']").click();
    page.waitForPath("/staff/t/" + Fixtures.SHIMADA + "/residents");

    Path bad = write("bad.csv", """
        family_name,given_name,family_kana,given_kana,birth_date,district,household
        佐藤,一郎,サトウ,イチロウ,1970-01-02,d1,S1
        佐藤,花,サトウ,ハナ,2019-13-40,d1,S1
        佐藤,次郎,サトウ,ジロウ,1972-03-04,d1,S1
        佐藤,,サトウ,ミホ,1999-01-01,d1,S1
        """);
    page.find("#residents-file").sendKeys(bad.toString());
    page.submit("#import button[type=submit]");
    String error = page.text("#import .error");
    assertTrue(error.contains("何も取り込んでいません"), error);
    assertTrue(error.contains("3行目") && error.contains("birth_date"), error);
    assertTrue(error.contains("5行目") && error.contains("given_name is empty"), error);
    assertFalse(error.contains("2行目") || error.contains("4行目"), error);
    assertTrue(await(services.residence().search(Fixtures.SHIMADA, "サトウ", 10)).isEmpty(), "nothing imported half-way");

    Path good = write("good.csv", """
        family_name,given_name,family_kana,given_kana,birth_date,district,household
        佐藤,一郎,サトウ,イチロウ,1970-01-02,d1,S1
        佐藤,花,さとう,はな,2019-12-04,d1,S1
        """);
    page.find("#residents-file").sendKeys(good.toString());
    page.submit("#import button[type=submit]");
    page.waitForPath("/staff/t/" + Fixtures.SHIMADA + "/residents");
    assertTrue(page.notice().contains("2件"), page.notice());
    assertTrue(page.text("#records").contains("サトウ ハナ"), "kana folded to katakana");

    page.type("#q", "イチロウ");
    page.submit("form.search button[type=submit]");
    assertEquals(1, page.driver.findElements(By.cssSelector("#records tbody tr")).size());
    page.submit("#records tbody tr:first-child button[type=submit]");
    page.waitForPath("/staff/t/" + Fixtures.SHIMADA + "/letter");
    String code = page.text("#letter-code");
    assertTrue(code.matches("[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}"), code);
    assertTrue(page.text("#letter-text").contains("佐藤 一郎 様"));
    assertTrue(page.text("#letter-text").contains(code));

    // The printed code works for the person it was issued for.
    Account citizen = fixtures.verifiedCitizen("ichiro-" + System.nanoTime() + "@example.jp");
    assertEquals(Fixtures.SHIMADA, await(services.residence().verify(citizen.id(), code, "198.51.100.7")).tenantCode());

    assertTrue(Files.size(page.screenshot("letter-phone", 390, 844)) > 0);
    assertTrue(Files.size(page.screenshot("letter-desktop", 1280, 900)) > 0);
  }

  @Test
  void clerkAddsOneRecordAndABadDateIsExplained() {
    signIn("clerk@shimada.example");
    page.open("/staff/t/" + Fixtures.SHIMADA + "/residents");
    page.type("#familyName", "鈴木");
    page.type("#givenName", "三郎");
    page.type("#familyKana", "すずき");
    page.type("#givenKana", "saburo");
    page.driver.executeScript("arguments[0].value = '2001-01-02'", page.find("#birthDate"));
    page.type("#householdId", "Z9");
    page.submit("#add button[type=submit]");
    assertTrue(page.text("#add .error").contains("フリガナ"), page.text("#add .error"));
    assertEquals("鈴木", page.find("#familyName").getAttribute("value"), "typed values survive");
    page.type("#givenKana", "サブロウ");
    page.submit("#add button[type=submit]");
    page.waitForPath("/staff/t/" + Fixtures.SHIMADA + "/residents");
    assertTrue(page.notice().contains("追加しました"), page.notice());
    assertTrue(page.text("#records").contains("スズキ サブロウ"));
  }

  @Test
  void staffSeeOnlyTheirOwnMunicipality() {
    signIn("clerk@shimada.example");
    page.open("/staff/t/" + Fixtures.ICHIHARA + "/residents");
    assertTrue(page.text("h1").contains("404"), page.text("h1"));
    page.open("/staff/t/" + Fixtures.SHIMADA + "/audit");
    assertTrue(page.text("h1").contains("403"), page.text("h1"));
  }

  @Test
  void adminCreatesAStaffMemberAndReadsTheAuditLog() {
    signIn("admin@ichihara.example");
    page.waitForPath("/staff/t/" + Fixtures.ICHIHARA);
    page.type("#s-email", "new-clerk@ichihara.example");
    page.type("#s-name", "市民課 新人");
    page.find("input[name=roles][value=resident_clerk]").click();
    page.type("#s-password", Fixtures.PASSWORD);
    page.submit("form[action$='/staff'] button[type=submit]");
    page.waitForPath("/staff/t/" + Fixtures.ICHIHARA);
    assertTrue(page.notice().contains("職員を登録しました"), page.notice());
    assertTrue(page.text("main").contains("new-clerk@ichihara.example"));
    page.open("/staff/t/" + Fixtures.ICHIHARA + "/audit");
    assertTrue(page.text("#audit").contains("staff.created"), page.text("#audit"));
  }

  @Test
  void operatorCreatesAMunicipality() {
    fixtures.operator("root@tsunagu.example");
    signIn("root@tsunagu.example");
    page.waitForPath("/staff");
    page.type("#code", "131016");
    page.type("#nameJa", "千代田区");
    page.type("#nameEn", "Chiyoda City");
    page.type("#prefecture", "東京都");
    page.submit("form[action='/staff/tenants'] button[type=submit]");
    page.waitForPath("/staff/t/131016");
    assertTrue(page.text("h1").contains("千代田区"));
  }

  private Path write(String name, String text) throws java.io.IOException {
    return Files.writeString(files.resolve(name), text);
  }

  @Test
  void anAuditorSeesConsentCountsPerServiceAndVerifiesTheAccessLogs() {
    var consent = services.consent();
    Account a = fixtures.verifiedCitizen("reader-" + System.nanoTime() + "@example.jp");
    Account b = fixtures.verifiedCitizen("reader-" + System.nanoTime() + "@example.jp");
    await(consent.declarations().publish(new jp.tsunagu.consent.declaration.ServiceDeclaration(Fixtures.ICHIHARA, "library", 1,
        new jp.tsunagu.consent.declaration.LocalizedText("図書館に貸出カード番号をお知らせします。", "Your card number goes to the library."),
        java.util.List.of(new jp.tsunagu.consent.declaration.DeclaredItem("library_card", true,
            new jp.tsunagu.consent.declaration.LocalizedText("貸出カード番号", "Card number"))),
        java.util.List.of(new jp.tsunagu.consent.declaration.DeclaredPurpose("lending",
            new jp.tsunagu.consent.declaration.LocalizedText("貸出", "Lending"))),
        "library", java.util.Optional.empty(), java.time.Instant.now())));
    for (Account who : java.util.List.of(a, b)) {
      await(consent.consents().give(new jp.tsunagu.consent.ledger.ConsentRequest(Fixtures.ICHIHARA, who.id().toString(), "library", 1,
          java.util.Set.of("library_card"), java.util.Set.of("lending"),
          jp.tsunagu.consent.ledger.Actor.citizen(who.id().toString(), jp.tsunagu.consent.ledger.Channel.WEB), java.util.Optional.empty())));
    }
    await(consent.withdrawals().withdraw(new jp.tsunagu.consent.withdrawal.WithdrawalRequest(Fixtures.ICHIHARA, b.id().toString(),
        "library", jp.tsunagu.consent.ledger.Actor.citizen(b.id().toString(), jp.tsunagu.consent.ledger.Channel.WEB))));

    signIn("admin@ichihara.example");
    page.waitForPath("/staff/t/" + Fixtures.ICHIHARA);
    page.find("main a[href$='/consents']").click();
    page.waitForPath("/staff/t/" + Fixtures.ICHIHARA + "/consents");
    String row = "tr[data-service='library'] td[data-state='%s']";
    assertEquals("1", page.text(String.format(row, "given")));
    assertEquals("1", page.text(String.format(row, "withdrawn")));
    assertFalse(page.driver.getPageSource().contains(a.id().toString()), "counts only, never a citizen");
    page.submit("#verify-chains");
    page.waitForPath("/staff/t/" + Fixtures.ICHIHARA + "/consents/verify");
    assertEquals("0", page.find("#chain-check").getAttribute("data-broken"));

    // another municipality's page is closed to this admin
    page.open("/staff/t/" + Fixtures.SHIMADA + "/consents");
    assertFalse(page.driver.getPageSource().contains("consent-statistics"));
  }
}

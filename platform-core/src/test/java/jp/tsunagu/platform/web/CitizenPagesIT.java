package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tsunagu.platform.Services;
import jp.tsunagu.platform.account.EmailAddress;
import jp.tsunagu.platform.residence.ResidenceService.IssuedCode;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** A citizen in a real browser: sign-up, e-mail verification, sign-in, residence code, household. */
class CitizenPagesIT {
  static TestPlatform node;
  static Fixtures fixtures;
  static Services services;
  static Staff clerk;
  PageDriver page;

  @BeforeAll
  static void start() {
    node = TestPlatform.start();
    fixtures = new Fixtures(node);
    services = node.platform().services();
    clerk = fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "clerk@shimada.example", Role.RESIDENT_CLERK);
    await(services.residence().importCsv(clerk, Fixtures.SHIMADA, """
        family_name,given_name,family_kana,given_kana,birth_date,district,household
        山田,花子,ヤマダ,ハナコ,1988-07-07,d1,H1
        山田,さくら,ヤマダ,サクラ,2020-05-05,d1,H1
        山田,蓮,ヤマダ,レン,2022-09-01,d1,H1
        """));
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

  @Test
  void signUpVerifySignInEnterResidenceCodeAndClaimAChild() throws Exception {
    String email = "hanako-" + System.nanoTime() + "@example.jp";
    IssuedCode code = issueCodeFor("ヤマダハナコ");

    page.open("/sign-up");
    assertEquals("ja", page.lang());
    page.type("#email", email);
    page.type("#displayName", "山田 花子");
    page.type("#password", Fixtures.PASSWORD);
    page.submit("form.card button[type=submit]");
    page.waitForPath("/sign-in");
    assertTrue(page.notice().contains("確認メール"), page.notice());

    // The mailed link, read from the development mailbox page.
    page.open("/dev/outbox");
    String mailText = page.driver.findElements(By.cssSelector("article.mail")).stream()
        .filter(m -> m.findElement(By.cssSelector(".to")).getText().equals(email)).findFirst().orElseThrow().getText();
    Matcher link = Pattern.compile("/verify-email\\?token=([A-Za-z0-9_-]+)").matcher(mailText);
    assertTrue(link.find(), mailText);

    // Opening the link (as a mail scanner would) confirms nothing; the button does.
    page.open("/verify-email?token=" + link.group(1));
    assertFalse(accountVerified(email), "GET must not consume the token");
    page.submit("form.card button[type=submit]");
    page.waitForPath("/sign-in");
    assertTrue(accountVerified(email));
    assertTrue(page.notice().contains("確認しました"), page.notice());

    page.type("#email", email);
    page.type("#password", Fixtures.PASSWORD);
    page.submit("form.card button[type=submit]");
    page.waitForPath("/account");
    assertTrue(page.text("#residence-status").contains("住民確認がまだです"));

    page.type("#code", "AAAA-BBBB-CCCC");
    page.submit("#residence button[type=submit]");
    assertTrue(page.text("#residence .error").contains("正しくありません"), page.text("#residence .error"));

    page.type("#code", code.code().toLowerCase(java.util.Locale.ROOT));
    page.submit("#residence button[type=submit]");
    page.waitForPath("/account");
    assertTrue(page.notice().contains("住民照合が完了しました"), page.notice());
    assertTrue(page.text("#residence-status").contains("住民確認済み"));
    assertTrue(page.text("#residence-status").contains("島田市"));
    String household = page.text("#household");
    assertTrue(household.contains("山田 さくら") && household.contains("山田 蓮"), household);
    assertFalse(household.contains("花子"), "the citizen is not listed as her own child");

    page.submit("#household li:first-child button[type=submit]");
    page.waitForPath("/account");
    assertTrue(page.notice().contains("扶養家族として登録しました"), page.notice());
    assertTrue(page.text("#household li:first-child").contains("扶養家族として登録済み"));

    assertTrue(Files.size(page.screenshot("account-phone", 390, 844)) > 0);
    assertTrue(Files.size(page.screenshot("account-desktop", 1280, 900)) > 0);
  }

  @Test
  void theLanguageToggleSwitchesToEnglishAndBack() {
    page.open("/sign-in");
    assertEquals("ja", page.lang());
    page.find("a.lang").click();
    page.waitForPath("/sign-in");
    page.waitForPage();
    assertEquals("en", page.lang());
    assertEquals("Sign in", page.text("h1"));
    page.open("/sign-up");
    assertEquals("en", page.lang(), "the choice is remembered");
    page.find("a.lang").click();
    page.waitForPath("/sign-up");
    assertEquals("ja", page.lang());
  }

  @Test
  void aWrongPasswordIsExplainedOnTheForm() {
    page.open("/sign-in");
    page.type("#email", "nobody@example.jp");
    page.type("#password", "not the password");
    page.submit("form.card button[type=submit]");
    assertTrue(page.error().contains("メールアドレスまたはパスワードが正しくありません"), page.error());
    assertEquals("nobody@example.jp", page.find("#email").getAttribute("value"));
  }

  @Test
  void theAccountPageNeedsASignIn() {
    page.open("/account");
    page.waitForPath("/sign-in");
    assertEquals("/account", page.driver.findElement(By.cssSelector("input[name=next]")).getAttribute("value"));
  }

  private IssuedCode issueCodeFor(String kana) {
    var record = await(services.residence().search(Fixtures.SHIMADA, kana, 1)).get(0);
    var tenant = await(services.tenants().require(Fixtures.SHIMADA));
    return await(services.residence().issueCode(clerk, tenant, record.id()));
  }

  private static boolean accountVerified(String email) {
    return await(services.pool().preparedQuery("SELECT email_verified_at IS NOT NULL FROM account WHERE email = $1")
        .execute(io.vertx.sqlclient.Tuple.of(EmailAddress.normalise(email)))).iterator().next().getBoolean(0);
  }
}

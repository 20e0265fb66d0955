package jp.tsunagu.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.platform.content.ContentTesting;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/** In Chromium: a citizen sets interests, staff publish a matching page, the notice appears in the open inbox live. */
class InboxPageIT {
  static TestPlatform node;
  static ContentApi editor;

  @BeforeAll
  static void start() throws Exception {
    node = TestPlatform.start();
    Fixtures fixtures = new Fixtures(node);
    fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    editor = new ContentApi(ContentTesting.staff(node, "editor@shimada.example"));
    ContentTesting.taxonomy(editor, Fixtures.SHIMADA);
    fixtures.verifiedCitizen("hanako@example.jp");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aMatchingPageAppearsInTheOpenInboxWithoutReloading() throws Exception {
    try (PageDriver page = new PageDriver(node.baseUrl())) {
      page.open("/sign-in");
      page.type("#email", "hanako@example.jp");
      page.type("#password", Fixtures.PASSWORD);
      page.submit("form[action='/sign-in'] button[type=submit]");

      page.open("/interests?tenant=" + Fixtures.SHIMADA);
      page.find("input[name=interest][value=kosodate]").click();
      // a date field takes typing by locale: set its value as a date picker would
      page.driver.executeScript("document.getElementById('dueDate').value = arguments[0]", "1999-01-01");
      page.submit("#profile-form button[type=submit]");
      assertTrue(page.error().contains("出産予定日が過ぎています"), page.error());
      page.driver.executeScript("document.getElementById('dueDate').value = ''");
      page.submit("#profile-form button[type=submit]");
      assertEquals("関心の設定を保存しました。", page.notice());
      assertTrue(page.driver.findElement(By.cssSelector("input[name=interest][value=kosodate]")).isSelected());
      assertEquals("お知らせはメールで送られていません。", page.text("#email-state"));
      page.submit("#email-form button[type=submit]");
      assertEquals("サインイン用のアドレスに確認のリンクをお送りしました。", page.notice());
      assertTrue(page.text("#email-state").startsWith("確認のリンクをお送りしました"));
      assertEquals("メールでのお知らせ受け取りの確認", new Fixtures(node).lastMailTo("hanako@example.jp").getString("subject"));

      page.open("/inbox");
      assertEquals("お知らせはまだありません。関心のあることを設定すると、必要な情報が届きます。", page.text("#no-notifications"));
      new WebDriverWait(page.driver, Duration.ofSeconds(10)).until(d ->
          "open".equals(d.findElement(By.id("notifications")).getDomAttribute("data-live")));

      editor.upsertPage(Fixtures.SHIMADA, ContentTesting.page("https://www.city.shimada.shizuoka.jp/kosodate/kenshin.html",
          "1歳6か月児健診のご案内", "<p>健診のご案内です。</p>", "kosodate"));
      new WebDriverWait(page.driver, Duration.ofSeconds(10)).until(d ->
          d.findElements(By.cssSelector("#notifications li.live .title")).stream()
              .anyMatch(e -> e.getText().equals("1歳6か月児健診のご案内")));
      assertEquals("新着", page.text("#notifications li.live .meta"));
      assertEquals("未読 1 件", page.text("#unread-count"));
      assertTrue(page.driver.findElements(By.id("no-notifications")).stream().noneMatch(e -> e.isDisplayed()));

      // after a reload it is part of the list, and can be marked read
      page.open("/inbox");
      assertEquals(List.of("1歳6か月児健診のご案内"), page.driver.findElements(By.cssSelector("#notifications .title"))
          .stream().map(e -> e.getText()).toList());
      page.submit("form[action='/inbox/read'] button[type=submit]");
      assertEquals("未読 0 件", page.text("#unread-count"));
    }
  }
}

package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import jp.tsunagu.api.client.DeliveryApi;
import jp.tsunagu.api.model.InterestProfileInput;
import jp.tsunagu.api.model.NotificationReads;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.platform.content.ContentTesting;
import jp.tsunagu.platform.profile.DeliveryTesting;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's notices section in Chromium: an editor composes a notice for a segment, previews
 * its reach per channel, is refused an incomplete one, schedules one and cancels it, sends one now
 * and reads its counters as citizens open it; an auditor reads the counters but composes nothing.
 */
class StaffNoticePagesIT {
  static final String SHIMADA = Fixtures.SHIMADA;
  static final Duration SOON = Duration.ofSeconds(15);
  static TestPlatform node;
  static DeliveryApi baby;

  @BeforeAll
  static void start() throws Exception {
    node = TestPlatform.start(Map.of("notify.senderPollMillis", "100"));
    Fixtures fixtures = new Fixtures(node);
    fixtures.tenantWithStaff(SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    await(node.platform().services().staff().create(fixtures.operator("op-audit@tsunagu.example"), SHIMADA, "auditor@shimada.example",
        "Auditor", EnumSet.of(Role.AUDITOR), Fixtures.PASSWORD));
    ContentTesting.taxonomy(new ContentApi(ContentTesting.staff(node, "editor@shimada.example")), SHIMADA);
    baby = new DeliveryApi(DeliveryTesting.citizen(node, "baby@example.jp"));
    baby.saveMyProfile(new InterestProfileInput().tenantCode(SHIMADA).interests(List.of("kosodate")).homeDistrict("d1"));
    new DeliveryApi(DeliveryTesting.citizen(node, "parent@example.jp"))
        .saveMyProfile(new InterestProfileInput().tenantCode(SHIMADA).interests(List.of("kosodate")).homeDistrict("d2"));
    new DeliveryApi(DeliveryTesting.citizen(node, "tidy@example.jp"))
        .saveMyProfile(new InterestProfileInput().tenantCode(SHIMADA).interests(List.of("gomi")).homeDistrict("d1"));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static void signIn(PageDriver page, String email) {
    page.open("/staff/sign-in");
    page.type("#email", email);
    page.type("#password", Fixtures.PASSWORD);
    page.submit("form.card button[type=submit]");
    page.waitForPath("/staff/t/" + SHIMADA);
  }

  @Test
  void anEditorPreviewsSchedulesCancelsSendsAndReadsTheCounters() throws Exception {
    try (PageDriver page = new PageDriver(node.baseUrl())) {
      signIn(page, "editor@shimada.example");
      page.find("nav a[href$='/notices']").click();
      page.waitForPath("/staff/t/" + SHIMADA + "/notices");
      assertEquals("お知らせ配信", page.text("h1").split(" ")[0]);

      // the reach of a segment before sending: kosodate in district d1 is one citizen
      page.type("#title", "乳児健診のお知らせ");
      page.type("#url", "https://www.city.shimada.shizuoka.jp/kosodate/kenshin.html");
      page.find("#segment-categories input[value=kosodate]").click();
      page.find("#segment-districts input[value=d1]").click();
      page.submit("#preview-submit");
      assertEquals("届く人数：1 人", page.text("#reach strong"));
      assertEquals("1", page.text("#reach tr[data-channel=inbox] td:last-child"));
      assertEquals("0", page.text("#reach tr[data-channel=email] td:last-child"));
      assertEquals("乳児健診のお知らせ", page.find("#title").getDomProperty("value"), "what was typed stays");
      assertTrue(page.find("#segment-districts input[value=d1]").isSelected());
      page.find("#segment-districts input[value=d1]").click(); // the whole city: both kosodate citizens
      page.submit("#preview-submit");
      assertEquals("届く人数：2 人", page.text("#reach strong"));
      assertEquals(0, count("SELECT count(*) FROM staff_notice"), "a preview sends nothing");

      // refused: no title; a sending time already past
      page.type("#title", " ");
      page.submit("#send-submit");
      assertEquals("ご確認ください： 件名を1〜300文字で入力してください。", page.error());
      page.type("#title", "乳児健診のお知らせ");
      setSendAt(page, LocalDateTime.now(ZoneId.of("Asia/Tokyo")).minusDays(1));
      page.submit("#send-submit");
      assertTrue(page.error().endsWith("送信日時が過ぎています。"), page.error());

      // scheduled for later, then cancelled before it goes
      setSendAt(page, LocalDateTime.now(ZoneId.of("Asia/Tokyo")).plusDays(2));
      page.submit("#send-submit");
      assertEquals("お知らせの送信を予約しました。", page.notice());
      assertEquals("送信予定", page.text("#composed tbody tr .state"));
      page.submit("#composed tbody tr button[type=submit]");
      assertEquals("お知らせを取り消しました。", page.notice());
      assertEquals("取り消し", page.text("#composed tbody tr .state"));
      assertTrue(page.driver.findElements(By.cssSelector("#composed tbody tr button")).isEmpty(), "nothing left to cancel");

      // sent now; the counters follow the citizens
      page.type("#title", "予防接種の日程");
      page.type("#url", "https://www.city.shimada.shizuoka.jp/kosodate/yobou.html");
      page.find("#segment-categories input[value=kosodate]").click();
      page.submit("#send-submit");
      assertEquals("お知らせを送信します。", page.notice());
      new WebDriverWait(page.driver, SOON).until(d -> {
        page.open("/staff/t/" + SHIMADA + "/notices");
        return "送信済み".equals(page.text("#composed tbody tr:first-child .state"));
      });
      assertEquals("2", page.text("#composed tbody tr:first-child .recipients"));
      assertEquals("予防接種の日程", page.text("#statistics tr[data-channel=inbox] .title").split("\n")[0]);
      assertEquals("2", page.text("#statistics tr[data-channel=inbox] .queued"));
      assertEquals("0", page.text("#statistics tr[data-channel=inbox] .opened"));
      long id = baby.listMyNotifications(null, null, null).getItems().get(0).getId();
      baby.markNotificationsRead(new NotificationReads().ids(List.of(id)));
      page.open("/staff/t/" + SHIMADA + "/notices");
      assertEquals("1", page.text("#statistics tr[data-channel=inbox] .opened"));

      page.open("/lang/en");
      page.open("/staff/t/" + SHIMADA + "/notices");
      assertEquals("Delivery statistics", page.text("#stats-h"));
    }
  }

  @Test
  void anAuditorReadsTheCountersAndComposesNothing() {
    try (PageDriver page = new PageDriver(node.baseUrl())) {
      signIn(page, "auditor@shimada.example");
      page.open("/staff/t/" + SHIMADA + "/notices");
      page.find("#statistics");
      assertTrue(page.driver.findElements(By.id("notice-form")).isEmpty());
    }
  }

  static void setSendAt(PageDriver page, LocalDateTime at) {
    page.driver.executeScript("document.getElementById('sendAt').value = arguments[0]", at.withSecond(0).withNano(0).toString());
  }

  static long count(String sql) {
    return await(node.platform().services().pool().query(sql).execute()).iterator().next().getLong(0);
  }
}

package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.api.client.DeliveryApi;
import jp.tsunagu.api.model.Channel;
import jp.tsunagu.api.model.ConfirmEmailChannelRequest;
import jp.tsunagu.api.model.EmailChannel;
import jp.tsunagu.api.model.InterestProfileInput;
import jp.tsunagu.api.model.SubscriptionInput;
import jp.tsunagu.platform.content.ContentTesting;
import jp.tsunagu.platform.profile.DeliveryTesting;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.Poll;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The "manage your notices" link of a notice mail, in Chromium and as a mail scanner sees it:
 * opening it changes nothing; its button lets this browser manage the account's notices without a
 * sign-in (how often, subscriptions, the e-mail channel); the link then works no more, and a
 * forged or unsubscribe token is no manage link.
 */
class NoticeManagePageIT {
  static final String SHIMADA = Fixtures.SHIMADA;
  static final Duration SOON = Duration.ofSeconds(15);
  static TestPlatform node;
  static ContentApi editor;
  static final HttpClient plain = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    node = TestPlatform.start(Map.of("notify.senderPollMillis", "100"));
    new Fixtures(node).tenantWithStaff(SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    editor = new ContentApi(ContentTesting.staff(node, "editor@shimada.example"));
    ContentTesting.taxonomy(editor, SHIMADA);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static long uses() {
    return await(node.platform().services().pool().query("SELECT count(*) FROM notice_manage_token_use").execute())
        .iterator().next().getLong(0);
  }

  @Test
  void theMailedLinkManagesNoticesOnceWithoutASignIn() throws Exception {
    Fixtures fixtures = new Fixtures(node);
    DeliveryApi me = new DeliveryApi(DeliveryTesting.citizen(node, "kaori@example.jp"));
    me.saveMyProfile(new InterestProfileInput().tenantCode(SHIMADA).interests(List.of("gomi")).channels(List.of(Channel.EMAIL)));
    me.requestEmailChannel(Map.of());
    me.confirmEmailChannel(new ConfirmEmailChannelRequest().token(Fixtures.tokenIn(fixtures.lastMailTo("kaori@example.jp"))));
    me.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.TOPICS).tenantCode(SHIMADA)
        .categories(List.of("bousai")));
    editor.upsertPage(SHIMADA, ContentTesting.page("https://www.city.shimada.shizuoka.jp/gomi/manage.html", "資源ごみの出し方",
        "<p>資源ごみの出し方です。</p>", "gomi"));
    Poll.until(SOON, "the notice mail", () -> fixtures.lastMailTo("kaori@example.jp").getString("subject").equals("資源ごみの出し方"));
    JsonObject mail = fixtures.lastMailTo("kaori@example.jp");
    Matcher link = Pattern.compile("(/notices/manage\\?token=[A-Za-z0-9_-]+)").matcher(mail.getString("body"));
    assertTrue(link.find(), mail.getString("body"));
    String path = link.group(1);
    Matcher unsubscribe = Pattern.compile("/notices/unsubscribe\\?token=([A-Za-z0-9_-]+)").matcher(mail.getString("body"));
    assertTrue(unsubscribe.find());

    // a mail scanner opening the link uses nothing up
    HttpResponse<String> scanned = plain.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, scanned.statusCode());
    assertTrue(scanned.body().contains("id=\"ask-form\""));
    assertEquals(0, uses());
    // no grant, no settings: off to the sign-in
    HttpResponse<String> ungranted = plain.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/notices/manage/settings")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(303, ungranted.statusCode());
    assertTrue(ungranted.headers().firstValue("Location").orElse("").startsWith("/sign-in"));
    // a forged token, and an unsubscribe token, are no manage links
    for (String token : List.of("AAAA", unsubscribe.group(1))) {
      HttpResponse<String> refused = plain.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/notices/manage?token=" + token))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(410, refused.statusCode(), token);
    }

    try (PageDriver page = new PageDriver(node.baseUrl())) {
      page.open(path);
      page.submit("#ask-form button[type=submit]");
      page.waitForPath("/notices/manage/settings");
      assertEquals(1, uses());
      assertEquals("サインイン用のアドレスにメールでお知らせが届きます。", page.text("#email-state"));
      page.submit("#manage-subscriptions button[type=submit]");
      assertEquals("登録を解除しました。", page.notice());
      assertTrue(me.listMySubscriptions().getItems().isEmpty());
      new org.openqa.selenium.support.ui.Select(page.find("#frequency")).selectByValue("daily");
      page.submit("#frequency-form button[type=submit]");
      assertEquals("関心の設定を保存しました。", page.notice());
      assertEquals("daily", me.getMyProfile().getFrequency().getValue());
      page.submit("#stop-email-form button[type=submit]");
      assertEquals("メールでのお知らせを停止しました。", page.notice());
      assertEquals(EmailChannel.StateEnum.STOPPED, me.getMyEmailChannel().getState());

      // the link works once
      page.open(path);
      page.submit("#ask-form button[type=submit]");
      assertTrue(page.error().contains("このリンクは無効か、使用済みか"), page.error());
    }
  }
}

package jp.tsunagu.platform.notify;

import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.api.client.DeliveryApi;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.api.model.Notification;
import jp.tsunagu.api.model.NotificationList;
import jp.tsunagu.api.model.NotificationReads;
import jp.tsunagu.api.model.PageWrite;
import jp.tsunagu.api.model.SubscriptionInput;
import jp.tsunagu.platform.content.ContentTesting;
import jp.tsunagu.platform.profile.DeliveryTesting;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.Poll;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The inbox on two nodes: the matcher runs on the node holding its lease, the citizen's browser is
 * connected to the other, and the notification arrives live over server-sent events; the inbox
 * API counts and marks; when the matching node stops, the other takes over the lease.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InboxLiveIT {
  static final String SHIMADA = Fixtures.SHIMADA;
  static final Duration SOON = Duration.ofSeconds(10);
  static TestPlatform matching;
  static TestPlatform serving;
  static ContentApi editor;
  static int pages;

  @BeforeAll
  static void start() throws Exception {
    TestPlatform.Cluster cluster = new TestPlatform.Cluster();
    matching = TestPlatform.start(cluster, Map.of("notify.leaseSeconds", "3", "notify.pollMillis", "200"));
    Poll.until(SOON, "the first node holds the matcher's lease", () -> matching.platform().services().content().nodeId()
        .equals(leaseOwner()));
    serving = TestPlatform.start(cluster, Map.of("notify.leaseSeconds", "3", "notify.pollMillis", "200"));
    new Fixtures(matching).tenantWithStaff(SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    editor = new ContentApi(ContentTesting.staff(matching, "editor@shimada.example"));
    ContentTesting.taxonomy(editor, SHIMADA);
  }

  @AfterAll
  static void stop() {
    serving.close();
    if (matching != null) {
      matching.close();
    }
  }

  static String leaseOwner() {
    TestPlatform any = matching != null ? matching : serving;
    return await(any.platform().services().pool().query("SELECT lease_owner FROM notify_matcher").execute())
        .iterator().next().getString(0);
  }

  static PageWrite publish(String title) throws Exception {
    return editor.upsertPage(SHIMADA, ContentTesting.page("https://www.city.shimada.shizuoka.jp/live/" + (++pages) + ".html",
        title, "<p>" + title + "</p>", "bousai"));
  }

  static ApiClient follower(TestPlatform node, String email) throws Exception {
    ApiClient client = DeliveryTesting.citizen(node, email);
    new DeliveryApi(client).createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.TOPICS)
        .tenantCode(SHIMADA).categories(List.of("bousai")));
    return client;
  }

  @Test
  @Order(1)
  void aNoticeMatchedOnOneNodeReachesTheBrowserOnTheOther() throws Exception {
    ApiClient citizen = follower(serving, "live@example.jp");
    DeliveryApi inbox = new DeliveryApi(citizen);
    try (SseClient stream = new SseClient(citizen, serving.baseUrl(), null)) {
      assertEquals(200, stream.awaitReady(SOON));
      assertTrue(stream.contentType().startsWith("text/event-stream"), stream.contentType());
      publish("土砂災害警戒情報");
      JsonObject live = stream.next(SOON);
      assertNotNull(live, "a live notification");
      assertEquals("土砂災害警戒情報", live.getString("title"));
      assertEquals("published", live.getString("kind"));
      assertEquals(matching.platform().services().content().nodeId(), leaseOwner(), "matched on the other node");

      NotificationList list = inbox.listMyNotifications(null, null, null);
      assertEquals(1, list.getUnread());
      assertEquals(live.getLong("id"), list.getItems().get(0).getId());
      publish("避難指示");
      JsonObject second = stream.next(SOON);
      assertEquals("避難指示", second.getString("title"));
      assertEquals(2, inbox.getUnreadCount().getUnread());
      assertEquals(1, inbox.markNotificationsRead(new NotificationReads().ids(List.of(live.getLong("id")))).getUnread());
      assertEquals(1, inbox.markNotificationsRead(new NotificationReads().ids(List.of(live.getLong("id")))).getUnread());
      assertEquals(List.of("避難指示"), inbox.listMyNotifications(null, true, null).getItems().stream()
          .map(Notification::getTitle).toList());
      assertEquals(List.of("土砂災害警戒情報"), inbox.listMyNotifications(second.getLong("id"), null, null).getItems().stream()
          .map(Notification::getTitle).toList(), "the page below an id");
      assertEquals(0, inbox.markNotificationsRead(new NotificationReads().all(true)).getUnread());
      long opened = await(matching.platform().services().pool().query("SELECT sum(opened) FROM notice_stats WHERE channel = 'inbox'")
          .execute()).iterator().next().getLong(0);
      assertEquals(2, opened, "openings counted once per notification");

      // a browser that reconnects gets what it missed, from its last event on
      try (SseClient again = new SseClient(citizen, matching.baseUrl(), live.getLong("id"))) {
        assertEquals(200, again.awaitReady(SOON));
        assertEquals(second.getLong("id"), again.next(SOON).getLong("id"));
        assertNull(again.next(Duration.ofMillis(300)), "nothing else");
      }
    }
    // another citizen's stream carries none of it; no session, no stream
    ApiClient other = DeliveryTesting.citizen(serving, "other@example.jp");
    try (SseClient stream = new SseClient(other, serving.baseUrl(), null)) {
      assertEquals(200, stream.awaitReady(SOON));
      publish("給水所の開設");
      Poll.until(SOON, "matched", () -> new DeliveryApi(citizen).getUnreadCount().getUnread() == 1);
      assertNull(stream.next(Duration.ofMillis(500)));
    }
    try (SseClient anonymous = new SseClient(serving.client(), serving.baseUrl(), null)) {
      assertEquals(401, anonymous.awaitReady(SOON));
    }
  }

  @Test
  @Order(2)
  void whenTheMatchingNodeStopsTheOtherTakesOver() throws Exception {
    ApiClient citizen = follower(serving, "takeover@example.jp");
    String servingId = serving.platform().services().content().nodeId();
    matching.close();
    matching = null;
    Poll.until(SOON, "the serving node holds the lease", () -> servingId.equals(leaseOwner()));
    editor = new ContentApi(ContentTesting.staff(serving, "editor@shimada.example"));
    try (SseClient stream = new SseClient(citizen, serving.baseUrl(), null)) {
      assertEquals(200, stream.awaitReady(SOON));
      publish("停電情報");
      JsonObject live = stream.next(SOON);
      assertNotNull(live);
      assertEquals("停電情報", live.getString("title"));
    }
  }
}

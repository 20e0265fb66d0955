package jp.tsunagu.platform.notify;

import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.api.client.DeliveryApi;
import jp.tsunagu.api.model.InterestProfileInput;
import jp.tsunagu.api.model.LifeStage;
import jp.tsunagu.api.model.Notification;
import jp.tsunagu.api.model.PageInput;
import jp.tsunagu.api.model.PageWithdrawal;
import jp.tsunagu.api.model.PageWrite;
import jp.tsunagu.api.model.SavedSearchInput;
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
 * Every content change is matched against the municipality's profiles and subscriptions from the
 * change log: the right citizens get one notification each, withdrawals reach those who followed
 * the page, a replay writes nothing twice, and a failure in the middle of a fan-out leaves nothing
 * half-written.
 */
class MatchingIT {
  static final String SHIMADA = Fixtures.SHIMADA;
  static final String ICHIHARA = Fixtures.ICHIHARA;
  static final String CHIYODA = "131016";
  static final Duration SOON = Duration.ofSeconds(10);
  static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Tokyo"));
  static TestPlatform node;
  static ContentApi shimada;
  static ContentApi ichihara;
  static ContentApi chiyoda;
  static int pages;

  @BeforeAll
  static void start() throws Exception {
    node = TestPlatform.start();
    Fixtures fixtures = new Fixtures(node);
    fixtures.tenantWithStaff(SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    fixtures.tenantWithStaff(ICHIHARA, "市原市", "editor@ichihara.example", Role.EDITOR);
    shimada = new ContentApi(ContentTesting.staff(node, "editor@shimada.example"));
    ichihara = new ContentApi(ContentTesting.staff(node, "editor@ichihara.example"));
    ContentTesting.taxonomy(shimada, SHIMADA);
    ContentTesting.taxonomy(ichihara, ICHIHARA);
    fixtures.tenantWithStaff(CHIYODA, "千代田区", "editor@chiyoda.example", Role.EDITOR);
    chiyoda = new ContentApi(ContentTesting.staff(node, "editor@chiyoda.example"));
    ContentTesting.taxonomy(chiyoda, CHIYODA);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static DeliveryApi citizen(String name) throws Exception {
    return new DeliveryApi(DeliveryTesting.citizen(node, name + "@example.jp"));
  }

  static PageWrite publish(ContentApi editor, String tenant, PageInput page) throws Exception {
    PageWrite w = editor.upsertPage(tenant, page);
    long change = w.getChangeId();
    Poll.until(SOON, "change " + change + " matched", () -> checkpoint() >= change);
    return w;
  }

  static long checkpoint() {
    return await(node.platform().services().pool().query("SELECT last_change_id FROM notify_matcher").execute())
        .iterator().next().getLong(0);
  }

  static PageInput page(String title, String category) {
    return ContentTesting.page("https://www.city.example.jp/m/" + (++pages) + ".html", title, "<p>" + title + "のお知らせです。</p>", category);
  }

  static List<String> titles(DeliveryApi me) throws Exception {
    return me.listMyNotifications(null, null, null).getItems().stream().map(Notification::getTitle).toList();
  }

  @Test
  void openedReceiptsCountOncePerChannelAndOnlyTheOwnersNotification() throws Exception {
    DeliveryApi opener = citizen("opener");
    opener.saveMyProfile(new InterestProfileInput().tenantCode(ICHIHARA).interests(List.of("gomi")));
    DeliveryApi stranger = citizen("stranger");
    PageWrite w = publish(ichihara, ICHIHARA, page("資源回収の日", "gomi"));
    long id = opener.listMyNotifications(null, null, null).getItems().get(0).getId();
    String inboxOpened = "SELECT s.opened FROM notice_stats s JOIN notice o ON o.id = s.notice_id WHERE o.change_id = $1 "
        + "AND s.channel = 'inbox'";
    var inbox = new jp.tsunagu.api.model.RecordNotificationOpenedRequest()
        .channel(jp.tsunagu.api.model.RecordNotificationOpenedRequest.ChannelEnum.INBOX);
    DeliveryTesting.problem(404, "not-found", () -> stranger.recordNotificationOpened(id, inbox));
    DeliveryTesting.problem(404, "not-found", () -> opener.recordNotificationOpened(id + 1_000_000, inbox));
    assertEquals(0, count(inboxOpened, w.getChangeId()), "nothing counted for a refused receipt");
    opener.recordNotificationOpened(id, inbox);
    opener.recordNotificationOpened(id, inbox);
    assertEquals(1, count(inboxOpened, w.getChangeId()), "opened once, however often reported");
    assertEquals(0, opener.getUnreadCount().getUnread(), "and read");
    // a push click without a push delivery counts no push opening
    opener.recordNotificationOpened(id, new jp.tsunagu.api.model.RecordNotificationOpenedRequest()
        .channel(jp.tsunagu.api.model.RecordNotificationOpenedRequest.ChannelEnum.WEBPUSH));
    assertEquals(0, count("SELECT count(*) FROM notice_stats s JOIN notice o ON o.id = s.notice_id WHERE o.change_id = $1 "
        + "AND s.channel = 'webpush' AND s.opened > 0", w.getChangeId()));
    var http = java.net.http.HttpClient.newHttpClient();
    var bad = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.baseUrl() + "/api/v1/me/notifications/" + id
            + "/opened")).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"channel\":\"email\"}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(400, bad.statusCode(), "e-mail openings are not taken: " + bad.body());
    assertTrue(bad.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
  }

  @Test
  void profilesMatchByInterestDistrictAndLifeStage() throws Exception {
    DeliveryApi baby = citizen("baby");
    baby.saveMyProfile(new InterestProfileInput().tenantCode(SHIMADA).interests(List.of("kosodate")).homeDistrict("d1")
        .childBirthDates(List.of(TODAY.minusMonths(4).toString())));
    DeliveryApi elsewhere = citizen("elsewhere");
    elsewhere.saveMyProfile(new InterestProfileInput().tenantCode(SHIMADA).interests(List.of("kosodate")).homeDistrict("d2")
        .childBirthDates(List.of(TODAY.minusMonths(4).toString())));
    DeliveryApi older = citizen("older");
    older.saveMyProfile(new InterestProfileInput().tenantCode(SHIMADA).interests(List.of("kosodate")).homeDistrict("d1")
        .childBirthDates(List.of(TODAY.minusYears(9).toString())));
    DeliveryApi expecting = citizen("expecting");
    expecting.saveMyProfile(new InterestProfileInput().tenantCode(SHIMADA).interests(List.of("kosodate", "bousai"))
        .dueDate(TODAY.plusMonths(2).toString()));

    publish(shimada, SHIMADA, page("乳児健診の日程", "kosodate").districts(List.of("d1"))
        .lifeStages(List.of(LifeStage.INFANT, LifeStage.PREGNANCY)));
    publish(shimada, SHIMADA, page("市全域の防災訓練", "bousai"));

    assertEquals(List.of("乳児健診の日程"), titles(baby));
    assertEquals(List.of(), titles(elsewhere), "another district");
    assertEquals(List.of(), titles(older), "a school-age child is not an infant");
    assertEquals(List.of("市全域の防災訓練"), titles(expecting), "district-targeted page, profile without districts: not matched");
    assertEquals(List.of("interests"), baby.listMyNotifications(null, null, null).getItems().get(0).getReasons()
        .stream().map(Object::toString).map(String::toLowerCase).toList());
  }

  @Test
  void subscriptionsMatchAndEachCitizenGetsOneCopy() throws Exception {
    DeliveryApi any = citizen("any");
    any.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.TOPICS).tenantCode(SHIMADA)
        .categories(List.of("gomi")).tags(List.of("粗大ごみ")));
    DeliveryApi all = citizen("all");
    all.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.TOPICS).tenantCode(SHIMADA)
        .categories(List.of("gomi")).tags(List.of("粗大ごみ")).match(SubscriptionInput.MatchEnum.ALL));
    DeliveryApi searcher = citizen("searcher");
    searcher.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.SEARCH).tenantCode(SHIMADA)
        .search(new SavedSearchInput().text("収集日")));
    DeliveryApi neighbour = citizen("neighbour");
    neighbour.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.TENANT).tenantCode(ICHIHARA));
    // matched by three of their own subscriptions: still one notification
    DeliveryApi keen = citizen("keen");
    keen.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.TOPICS).tenantCode(SHIMADA).categories(List.of("gomi")));
    keen.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.TENANT).tenantCode(SHIMADA));
    keen.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.SEARCH).tenantCode(SHIMADA)
        .search(new SavedSearchInput().text("収集日").filters(Map.of("category", List.of("gomi")))));

    publish(shimada, SHIMADA, page("ごみ収集日の変更", "gomi"));
    publish(shimada, SHIMADA, page("粗大ごみの申し込み", "gomi").tags(List.of("粗大ごみ")));
    publish(ichihara, ICHIHARA, page("市原市の花火大会", null));

    assertEquals(List.of("粗大ごみの申し込み", "ごみ収集日の変更"), titles(any));
    assertEquals(List.of("粗大ごみの申し込み"), titles(all));
    assertEquals(List.of("ごみ収集日の変更"), titles(searcher));
    assertEquals(List.of("市原市の花火大会"), titles(neighbour));
    assertEquals(List.of("粗大ごみの申し込み", "ごみ収集日の変更"), titles(keen));
    Notification first = keen.listMyNotifications(null, null, null).getItems().get(1);
    assertEquals(List.of("search", "tenant", "topics"), first.getReasons().stream().map(Object::toString).toList());
  }

  @Test
  void updatesReachPageSubscribersAndWithdrawalsReachEveryoneWhoWasTold() throws Exception {
    DeliveryApi follower = citizen("follower");
    DeliveryApi reader = citizen("reader");
    reader.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.TOPICS).tenantCode(SHIMADA)
        .categories(List.of("bousai")));
    PageInput input = page("避難所の開設", "bousai");
    PageWrite first = publish(shimada, SHIMADA, input);
    follower.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.PAGE).tenantCode(SHIMADA)
        .pageId(first.getPage().getId()));
    reader.deleteSubscription(reader.listMySubscriptions().getItems().get(0).getId());

    publish(shimada, SHIMADA, input.title("避難所の開設（更新）"));
    PageWrite withdrawn = shimada.withdrawPageByUrl(SHIMADA, new PageWithdrawal().url(input.getUrl()));
    Poll.until(SOON, "withdrawal matched", () -> checkpoint() >= withdrawn.getChangeId());

    assertEquals(List.of("避難所の開設（更新）", "避難所の開設（更新）"), titles(follower));
    assertEquals(Notification.KindEnum.WITHDRAWN, follower.listMyNotifications(null, null, null).getItems().get(0).getKind());
    assertEquals(List.of("避難所の開設（更新）", "避難所の開設"), titles(reader),
        "no longer subscribed, but told of the withdrawal of a page they were told about");
    assertEquals(Notification.KindEnum.WITHDRAWN, reader.listMyNotifications(null, null, null).getItems().get(0).getKind());
  }

  /**
   * A connected citizen's notification is committed first and sent live; the bulk write of the
   * others then fails (as a crash would) and is retried: the connected citizen keeps one copy, which
   * they saw once, and everyone else gets theirs when the retry commits.
   */
  @Test
  void aReplayWritesNothingTwiceAndAFailedFanOutLeavesNothingHalfWritten() throws Exception {
    int size = 3000;
    io.vertx.core.json.JsonObject seen;
    jp.tsunagu.api.invoker.ApiClient connected = DeliveryTesting.citizen(node, "connected@example.jp");
    new DeliveryApi(connected).createSubscription(new jp.tsunagu.api.model.SubscriptionInput()
        .kind(jp.tsunagu.api.model.SubscriptionInput.KindEnum.TOPICS).tenantCode(CHIYODA).categories(List.of("gomi")));
    // many citizens following the category, written in bulk
    await(node.platform().services().pool().preparedQuery("WITH a AS (INSERT INTO account (id, email, email_verified_at) "
            + "SELECT gen_random_uuid(), 'bulk' || i || '@example.jp', now() FROM generate_series(1, $1) i RETURNING id) "
            + "INSERT INTO interest_profile (account_id, tenant_code, interests) SELECT id, $2, ARRAY['gomi'] FROM a")
        .execute(Tuple.of(size, CHIYODA)));
    // the fan-out fails after most rows are written, as a crash would
    await(node.platform().services().pool().query("CREATE FUNCTION test_fail_fanout() RETURNS trigger LANGUAGE plpgsql AS $$ "
        + "BEGIN IF NEW.account_id = (SELECT id FROM account WHERE email = 'bulk2900@example.jp') THEN "
        + "RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$").execute());
    await(node.platform().services().pool().query("CREATE TRIGGER test_fail_fanout BEFORE INSERT ON notification "
        + "FOR EACH ROW EXECUTE FUNCTION test_fail_fanout()").execute());
    String perRecipient = "SELECT count(*) FROM notification n JOIN notice o ON o.id = n.notice_id WHERE o.change_id = $1";
    PageWrite w;
    try (SseClient stream = new SseClient(connected, node.baseUrl(), null)) {
      assertEquals(200, stream.awaitReady(SOON));
      w = chiyoda.upsertPage(CHIYODA, page("粗大ごみの収集", "gomi"));
      try {
        seen = stream.next(SOON);
        assertNotNull(seen, "the connected citizen's copy went live before the bulk write");
        assertEquals("粗大ごみの収集", seen.getString("title"));
        Poll.until(SOON, "the matcher tried and failed", () -> node.platform().services().delivery().matcher().failures() > 0);
        assertTrue(checkpoint() < w.getChangeId(), "the checkpoint stays before the failed change");
        assertEquals(1, count(perRecipient, w.getChangeId()), "only the connected citizen's notification is written");
        assertEquals(0, count("SELECT count(*) FROM delivery d JOIN notice o ON o.id = d.notice_id WHERE o.change_id = $1",
            w.getChangeId()), "no channel delivery before the bulk write commits");
      } finally {
        await(node.platform().services().pool().query("DROP TRIGGER test_fail_fanout ON notification").execute());
      }
      Poll.until(SOON, "the change matched after the failure", () -> checkpoint() >= w.getChangeId());
      assertEquals(size + 1, count(perRecipient, w.getChangeId()));
      assertNull(stream.next(Duration.ofMillis(500)), "the connected citizen is not told twice");
    }
    assertEquals(List.of(seen.getLong("id")), new DeliveryApi(connected).listMyNotifications(null, null, null).getItems().stream()
        .map(Notification::getId).toList(), "the copy seen live is the one in the inbox");

    // replay everything from the start, as after restoring an old checkpoint
    await(node.platform().services().pool().query("UPDATE notify_matcher SET last_change_id = 0").execute());
    node.platform().services().delivery().matcher().wake();
    Poll.until(SOON, "the replay reached the end", () -> checkpoint() >= w.getChangeId());
    assertEquals(size + 1, count(perRecipient, w.getChangeId()));
    assertEquals(0, count("SELECT count(*) FROM (SELECT notice_id, account_id FROM notification GROUP BY 1, 2 "
        + "HAVING count(*) > 1) d WHERE $1 > 0", 1L), "no citizen has a copy twice");
    assertEquals(size + 1, count("SELECT queued FROM notice_stats s JOIN notice o ON o.id = s.notice_id "
        + "WHERE o.change_id = $1 AND s.channel = 'inbox'", w.getChangeId()));
    assertEquals(size + 1, count("SELECT recipients FROM notice WHERE change_id = $1", w.getChangeId()));
  }

  @Test
  void staffSeeCountersPerNoticeAndOldNoticesArePurged() throws Exception {
    DeliveryApi citizen = citizen("counted");
    citizen.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.TOPICS).tenantCode(SHIMADA)
        .categories(List.of("kosodate")));
    PageWrite w = publish(shimada, SHIMADA, page("児童手当の申請", "kosodate"));
    var staffApi = new DeliveryApi(ContentTesting.staff(node, "editor@shimada.example"));
    var notice = staffApi.listNoticeStatistics(SHIMADA, null).getItems().stream()
        .filter(n -> n.getTitle().equals("児童手当の申請")).findFirst().orElseThrow();
    assertTrue(notice.getRecipients() >= 1);
    assertEquals(notice.getRecipients(), notice.getChannels().get("inbox").getQueued());
    DeliveryTesting.problem(401, "unauthenticated", () -> citizen.listNoticeStatistics(SHIMADA, null));
    DeliveryTesting.problem(404, "not-found", () -> staffApi.listNoticeStatistics(CHIYODA, null));

    await(node.platform().services().pool().preparedQuery("UPDATE notice SET created_at = now() - interval '5 years' "
        + "WHERE change_id = $1").execute(Tuple.of(w.getChangeId())));
    assertTrue(await(node.platform().services().delivery().purgeExpired()) >= 1);
    assertEquals(0, count("SELECT count(*) FROM notification n JOIN notice o ON o.id = n.notice_id WHERE o.change_id = $1",
        w.getChangeId()));
    assertEquals(List.of(), titles(citizen));
  }

  @Test
  void channelDeliveriesAreDueAtTheFrequencyAndOutsideQuietHours() {
    // 2026-12-02 is a Wednesday; times in JST
    assertEquals("2026-12-02T23:30+09:00", due(0, null, null, "2026-12-02T23:30+09:00"), "immediate");
    assertEquals("2026-12-03T07:00+09:00", due(0, "22:00", "07:00", "2026-12-02T23:30+09:00"), "quiet until 07:00");
    assertEquals("2026-12-03T07:00+09:00", due(0, "22:00", "07:00", "2026-12-03T01:00+09:00"), "after midnight too");
    assertEquals("2026-12-03T07:00+09:00", due(0, "22:00", "07:00", "2026-12-03T07:00+09:00"), "the end is not quiet");
    assertEquals("2026-12-02T13:00+09:00", due(0, "12:00", "13:00", "2026-12-02T12:30+09:00"), "a window within the day");
    assertEquals("2026-12-03T08:00+09:00", due(1, null, null, "2026-12-02T09:00+09:00"), "daily: the next 08:00");
    assertEquals("2026-12-02T08:00+09:00", due(1, null, null, "2026-12-02T06:00+09:00"), "daily: this morning's 08:00");
    assertEquals("2026-12-03T09:00+09:00", due(1, "06:00", "09:00", "2026-12-02T09:00+09:00"), "the digest waits for the end of quiet hours");
    assertEquals("2026-12-07T08:00+09:00", due(2, null, null, "2026-12-02T09:00+09:00"), "weekly: Monday 08:00");
    assertEquals("2026-12-14T08:00+09:00", due(2, null, null, "2026-12-07T08:00+09:00"), "weekly: not the Monday that has begun");
  }

  static String due(int frequency, String quietStart, String quietEnd, String at) {
    var r = await(node.platform().services().pool().preparedQuery("SELECT delivery_due($1::smallint, $2::time, $3::time, $4::timestamptz)")
        .execute(Tuple.of((short) frequency, quietStart == null ? null : java.time.LocalTime.parse(quietStart),
            quietEnd == null ? null : java.time.LocalTime.parse(quietEnd), java.time.OffsetDateTime.parse(at)))).iterator().next();
    return r.getOffsetDateTime(0).atZoneSameInstant(ZoneId.of("Asia/Tokyo")).toOffsetDateTime().toString();
  }

  static long count(String sql, long arg) {
    return await(node.platform().services().pool().preparedQuery(sql).execute(Tuple.of(arg))).iterator().next().getLong(0);
  }
}

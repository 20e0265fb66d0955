package jp.tsunagu.platform.notify;

import static jp.tsunagu.platform.profile.DeliveryTesting.problem;
import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.api.client.DeliveryApi;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.api.model.Channel;
import jp.tsunagu.api.model.ComposeNoticeRequest;
import jp.tsunagu.api.model.InterestProfileInput;
import jp.tsunagu.api.model.LifeStage;
import jp.tsunagu.api.model.Notification;
import jp.tsunagu.api.model.PreviewReachRequest;
import jp.tsunagu.api.model.Reach;
import jp.tsunagu.api.model.Segment;
import jp.tsunagu.api.model.StaffNotice;
import jp.tsunagu.platform.content.ContentTesting;
import jp.tsunagu.platform.profile.DeliveryTesting;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.Poll;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Staff compose a notice for a segment: reach preview per channel, scheduled sending, cancellation before it goes. */
class StaffNoticeIT {
  static final String SHIMADA = Fixtures.SHIMADA;
  static final Duration SOON = Duration.ofSeconds(15);
  static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Tokyo"));
  static TestPlatform node;
  static DeliveryApi staff;
  static DeliveryApi baby;
  static DeliveryApi parent;
  static DeliveryApi tidy;

  @BeforeAll
  static void start() throws Exception {
    node = TestPlatform.start(Map.of("notify.senderPollMillis", "100"));
    new Fixtures(node).tenantWithStaff(SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    ApiClient editor = ContentTesting.staff(node, "editor@shimada.example");
    ContentTesting.taxonomy(new ContentApi(editor), SHIMADA);
    staff = new DeliveryApi(editor);
    baby = new DeliveryApi(DeliveryTesting.citizen(node, "baby@example.jp"));
    baby.saveMyProfile(new InterestProfileInput().tenantCode(SHIMADA).interests(List.of("kosodate")).homeDistrict("d1")
        .childBirthDates(List.of(TODAY.minusMonths(4).toString())));
    parent = new DeliveryApi(DeliveryTesting.citizen(node, "parent@example.jp"));
    parent.saveMyProfile(new InterestProfileInput().tenantCode(SHIMADA).interests(List.of("kosodate")).homeDistrict("d2"));
    tidy = new DeliveryApi(DeliveryTesting.citizen(node, "tidy@example.jp"));
    tidy.saveMyProfile(new InterestProfileInput().tenantCode(SHIMADA).interests(List.of("gomi")).homeDistrict("d1")
        .channels(List.of(Channel.EMAIL)));
    // the e-mail channel confirmed (the opt-in itself is EmailChannelIT's)
    await(node.platform().services().pool().preparedQuery("INSERT INTO email_channel (account_id, address, confirmed_at) "
        + "SELECT id, email, now() FROM account WHERE email = $1").execute(Tuple.of("tidy@example.jp")));
  }

  @Test
  void lifeStageMessagesReachEachCitizenOnceOnTheirDay() throws Exception {
    String ichihara = Fixtures.ICHIHARA;
    new Fixtures(node).tenantWithStaff(ichihara, "市原市", "editor@ichihara.example", Role.EDITOR);
    DeliveryApi editor = new DeliveryApi(ContentTesting.staff(node, "editor@ichihara.example"));
    DeliveryApi expecting = new DeliveryApi(DeliveryTesting.citizen(node, "expecting@example.jp"));
    expecting.saveMyProfile(new InterestProfileInput().tenantCode(ichihara).dueDate(TODAY.plusDays(140).toString()));
    DeliveryApi toddler = new DeliveryApi(DeliveryTesting.citizen(node, "toddler@example.jp"));
    toddler.saveMyProfile(new InterestProfileInput().tenantCode(ichihara)
        .childBirthDates(List.of(TODAY.minusMonths(14).toString(), TODAY.minusMonths(13).toString())));
    DeliveryApi other = new DeliveryApi(DeliveryTesting.citizen(node, "other@example.jp"));
    other.saveMyProfile(new InterestProfileInput().tenantCode(ichihara).dueDate(TODAY.plusDays(141).toString()));

    var week20 = editor.createLifeStageMessage(ichihara, new jp.tsunagu.api.model.CreateLifeStageMessageRequest()
        .title("妊娠20週のあなたへ").url("https://www.city.ichihara.chiba.jp/boshi/20w.html").pregnancyWeek(20));
    assertEquals(20, week20.getPregnancyWeek());
    editor.createLifeStageMessage(ichihara, new jp.tsunagu.api.model.CreateLifeStageMessageRequest()
        .title("1歳2か月のお子さんの健診").url("https://www.city.ichihara.chiba.jp/boshi/14m.html").ageMonths(14));
    problem(400, "invalid-programme", () -> editor.createLifeStageMessage(ichihara, new jp.tsunagu.api.model.CreateLifeStageMessageRequest()
        .title("x").url("https://x.example/").pregnancyWeek(10).ageMonths(3)));
    problem(400, "invalid-programme", () -> editor.createLifeStageMessage(ichihara, new jp.tsunagu.api.model.CreateLifeStageMessageRequest()
        .title("x").url("https://x.example/")));
    assertEquals(2, editor.listLifeStageMessages(ichihara).getItems().size());

    var programmes = node.platform().services().delivery().programmes();
    assertEquals(2, await(programmes.run()));
    assertEquals(0, await(programmes.run()), "once");
    assertEquals(List.of("妊娠20週のあなたへ"), titles(expecting));
    assertEquals(List.of("1歳2か月のお子さんの健診"), titles(toddler), "for the child whose day it is, once");
    assertEquals(List.of(), titles(other));
    assertEquals(Notification.KindEnum.PROGRAMME, toddler.listMyNotifications(null, null, null).getItems().get(0).getKind());
  }

  @Test
  void aPersonalNoticeReachesTheVerifiedResidentOnly() throws Exception {
    var services = node.platform().services();
    Fixtures fixtures = new Fixtures(node);
    var op = fixtures.operator("op-personal@tsunagu.example");
    var clerkStaff = await(services.staff().create(op, SHIMADA, "clerk@shimada.example", "Clerk",
        java.util.EnumSet.of(Role.RESIDENT_CLERK), Fixtures.PASSWORD));
    DeliveryApi clerk = new DeliveryApi(ContentTesting.staff(node, "clerk@shimada.example"));
    var record = await(services.residence().addRecord(clerkStaff, new jp.tsunagu.platform.residence.ResidentRecord(
        java.util.UUID.randomUUID(), SHIMADA, "島田", "花子", "シマダ", "ハナコ", LocalDate.of(1990, 4, 1), "d1", "H-1")));
    var unlinked = await(services.residence().addRecord(clerkStaff, new jp.tsunagu.platform.residence.ResidentRecord(
        java.util.UUID.randomUUID(), SHIMADA, "島田", "次郎", "シマダ", "ジロウ", LocalDate.of(1985, 4, 1), "d1", "H-2")));
    var resident = fixtures.verifiedCitizen("resident@example.jp");
    var code = await(services.residence().issueCode(clerkStaff, await(services.tenants().require(SHIMADA)),
        record.id()));
    await(services.residence().verify(resident.id(), code.code(), "127.0.0.1"));
    DeliveryApi me = new DeliveryApi(DeliveryTesting.signedIn(node, "resident@example.jp"));

    var request = new jp.tsunagu.api.model.SendPersonalNoticeRequest().title("児童手当の現況届について")
        .url("https://www.city.shimada.shizuoka.jp/my/letter.html");
    clerk.sendPersonalNotice(SHIMADA, record.id(), request);
    assertEquals(List.of("児童手当の現況届について"), titles(me));
    assertEquals(Notification.KindEnum.PERSONAL, me.listMyNotifications(null, null, null).getItems().get(0).getKind());
    assertEquals(List.of(), titles(baby));
    problem(422, "not-resident-verified", () -> clerk.sendPersonalNotice(SHIMADA, unlinked.id(), request));
    problem(403, "forbidden", () -> staff.sendPersonalNotice(SHIMADA, record.id(), request));
    problem(401, "unauthenticated", () -> me.sendPersonalNotice(SHIMADA, record.id(), request));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static Reach reach(Segment segment) throws Exception {
    return staff.previewReach(SHIMADA, new PreviewReachRequest().segment(segment));
  }

  static List<String> titles(DeliveryApi me) throws Exception {
    return me.listMyNotifications(null, null, null).getItems().stream().map(Notification::getTitle).toList();
  }

  @Test
  void theReachIsCountedPerChannelBeforeSending() throws Exception {
    assertEquals(3, reach(new Segment()).getTotal());
    assertEquals(2, reach(new Segment().categories(List.of("kosodate"))).getTotal());
    assertEquals(1, reach(new Segment().categories(List.of("kosodate")).districts(List.of("d1"))).getTotal());
    assertEquals(1, reach(new Segment().lifeStages(List.of(LifeStage.INFANT))).getTotal());
    Reach d1 = reach(new Segment().districts(List.of("d1")));
    assertEquals(2, d1.getTotal());
    assertEquals(2, d1.getChannels().get("inbox"));
    assertEquals(1, d1.getChannels().get("email"));
    assertEquals(0, d1.getChannels().get("webhook"));
    problem(400, "unknown-category", () -> reach(new Segment().categories(List.of("sports"))));
    problem(400, "unknown-district", () -> reach(new Segment().districts(List.of("d9"))));
    problem(401, "unauthenticated", () -> baby.previewReach(SHIMADA, new PreviewReachRequest().segment(new Segment())));
  }

  @Test
  void aScheduledNoticeWaitsCanBeCancelledAndADueOneGoesOnceToItsSegment() throws Exception {
    Segment parents = new Segment().categories(List.of("kosodate"));
    StaffNotice later = staff.composeNotice(SHIMADA, new ComposeNoticeRequest().title("来月の子育て講座")
        .url("https://www.city.shimada.shizuoka.jp/kosodate/kouza.html").segment(parents)
        .sendAt(OffsetDateTime.now().plusHours(1)));
    assertEquals(StaffNotice.StateEnum.SCHEDULED, later.getState());
    assertEquals(2, later.getReach().getTotal());
    StaffNotice cancelled = staff.composeNotice(SHIMADA, new ComposeNoticeRequest().title("取りやめた案内")
        .url("https://www.city.shimada.shizuoka.jp/kosodate/x.html").segment(parents).sendAt(OffsetDateTime.now().plusHours(1)));
    staff.cancelNotice(SHIMADA, cancelled.getId());
    staff.cancelNotice(SHIMADA, cancelled.getId());
    // its time comes, but it was cancelled
    await(node.platform().services().pool().preparedQuery("UPDATE staff_notice SET send_at = now() - interval '1 minute' WHERE id = $1")
        .execute(Tuple.of(cancelled.getId())));

    StaffNotice now = staff.composeNotice(SHIMADA, new ComposeNoticeRequest().title("予防接種の日程が変わりました")
        .url("https://www.city.shimada.shizuoka.jp/kosodate/yobou.html").summary("4月の日程です。").segment(parents));
    Poll.until(SOON, "the due notice went", () -> staff.listStaffNotices(SHIMADA).getItems().stream()
        .anyMatch(n -> n.getId().equals(now.getId()) && n.getState() == StaffNotice.StateEnum.SENT));
    assertEquals(List.of("予防接種の日程が変わりました"), titles(baby));
    assertEquals(List.of("予防接種の日程が変わりました"), titles(parent));
    assertEquals(List.of(), titles(tidy));
    assertEquals(Notification.KindEnum.STAFF, baby.listMyNotifications(null, null, null).getItems().get(0).getKind());

    Map<String, StaffNotice.StateEnum> states = new java.util.HashMap<>();
    staff.listStaffNotices(SHIMADA).getItems().forEach(n -> states.put(n.getTitle(), n.getState()));
    assertEquals(StaffNotice.StateEnum.SCHEDULED, states.get("来月の子育て講座"));
    assertEquals(StaffNotice.StateEnum.CANCELLED, states.get("取りやめた案内"));
    assertEquals(2, staff.listStaffNotices(SHIMADA).getItems().stream().filter(n -> n.getId().equals(now.getId()))
        .findFirst().orElseThrow().getRecipients());
    problem(409, "notice-sent", () -> staff.cancelNotice(SHIMADA, now.getId()));
    problem(404, "not-found", () -> staff.cancelNotice(SHIMADA, java.util.UUID.randomUUID()));
    problem(400, "unknown-category", () -> staff.composeNotice(SHIMADA, new ComposeNoticeRequest().title("x").url("https://x.example/")
        .segment(new Segment().categories(List.of("sports")))));
    long audited = await(node.platform().services().pool().query("SELECT count(*) FROM audit_log WHERE action LIKE 'staff_notice.%'")
        .execute()).iterator().next().getLong(0);
    assertEquals(4, audited, "three composed, one cancelled");
  }
}

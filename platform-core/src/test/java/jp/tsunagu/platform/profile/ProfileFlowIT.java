package jp.tsunagu.platform.profile;

import static jp.tsunagu.platform.profile.DeliveryTesting.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.api.client.DeliveryApi;
import jp.tsunagu.api.model.Frequency;
import jp.tsunagu.api.model.InterestProfile;
import jp.tsunagu.api.model.InterestProfileInput;
import jp.tsunagu.api.model.LifeStage;
import jp.tsunagu.api.model.ProfileStatistics;
import jp.tsunagu.api.model.QuietHours;
import jp.tsunagu.api.model.SavedSearchInput;
import jp.tsunagu.api.model.Subscription;
import jp.tsunagu.api.model.SubscriptionInput;
import jp.tsunagu.platform.content.ContentTesting;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Interest profiles and subscriptions through the API: what is stored, what is refused, what staff see. */
class ProfileFlowIT {
  static final String SHIMADA = Fixtures.SHIMADA;
  static final String ICHIHARA = Fixtures.ICHIHARA;
  static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Tokyo"));
  static TestPlatform node;
  static ContentApi editor;
  static jp.tsunagu.api.invoker.ApiClient editorClient;
  static int citizens;

  @BeforeAll
  static void start() throws Exception {
    node = TestPlatform.start();
    Fixtures fixtures = new Fixtures(node);
    fixtures.tenantWithStaff(SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    fixtures.tenantWithStaff(ICHIHARA, "市原市", "editor@ichihara.example", Role.EDITOR);
    editorClient = ContentTesting.staff(node, "editor@shimada.example");
    editor = new ContentApi(editorClient);
    ContentTesting.taxonomy(editor, SHIMADA);
    ContentTesting.taxonomy(new ContentApi(ContentTesting.staff(node, "editor@ichihara.example")), ICHIHARA);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static DeliveryApi citizen() throws Exception {
    return new DeliveryApi(DeliveryTesting.citizen(node, "citizen" + (++citizens) + "@example.jp"));
  }

  static InterestProfileInput profile() {
    return new InterestProfileInput().tenantCode(SHIMADA).interests(List.of("kosodate", "bousai")).homeDistrict("d1")
        .schoolDistricts(List.of("d2")).language(InterestProfileInput.LanguageEnum.JA);
  }

  @Test
  void profileIsStoredWithLifeStagesComputedFromTheDates() throws Exception {
    DeliveryApi me = citizen();
    problem(404, "not-found", me::getMyProfile);
    InterestProfile saved = me.saveMyProfile(profile()
        .childBirthDates(List.of(TODAY.minusMonths(5).toString(), TODAY.minusYears(7).toString()))
        .dueDate(TODAY.plusMonths(3).toString())
        .quietHours(new QuietHours().start("22:00").end("07:00"))
        .frequency(Frequency.DAILY));
    assertEquals(List.of(LifeStage.ADULT, LifeStage.INFANT, LifeStage.PREGNANCY, LifeStage.SCHOOL_AGE), saved.getLifeStages());
    assertEquals(List.of("kosodate", "bousai"), saved.getInterests());
    assertEquals(List.of(jp.tsunagu.api.model.Channel.INBOX), saved.getChannels(), "the inbox is always a channel");
    assertEquals("22:00", saved.getQuietHours().getStart());
    InterestProfile read = me.getMyProfile();
    assertEquals(saved.getChildBirthDates(), read.getChildBirthDates());
    assertEquals(Frequency.DAILY, read.getFrequency());

    // a later save replaces the whole profile
    InterestProfile replaced = me.saveMyProfile(profile().interests(List.of("gomi")));
    assertEquals(List.of("gomi"), replaced.getInterests());
    assertEquals(List.of(LifeStage.ADULT), replaced.getLifeStages());
    assertEquals(null, replaced.getQuietHours());
  }

  @Test
  void lifeStagesFollowTheChildrensAge() {
    LocalDate day = LocalDate.of(2026, 4, 1);
    assertEquals(List.of("adult", "infant"), LifeStages.on(day, null, List.of(LocalDate.of(2025, 4, 2))));
    assertEquals(List.of("adult", "preschool"), LifeStages.on(day, null, List.of(LocalDate.of(2025, 4, 1))));
    assertEquals(List.of("adult", "youth"), LifeStages.on(day, null, List.of(LocalDate.of(2014, 3, 31))));
    assertEquals(List.of("adult"), LifeStages.on(day, LocalDate.of(2026, 3, 31), List.of(LocalDate.of(2000, 1, 1))));
    assertEquals(List.of("adult", "pregnancy"), LifeStages.on(day, day, List.of()));
    // the SQL function the matcher uses applies the same rules
    for (LocalDate birth : List.of(LocalDate.of(2025, 4, 2), LocalDate.of(2025, 4, 1), LocalDate.of(2020, 4, 2),
        LocalDate.of(2020, 4, 1), LocalDate.of(2014, 4, 1), LocalDate.of(2008, 4, 2), LocalDate.of(2008, 4, 1))) {
      var row = Fixtures.await(node.platform().services().pool().preparedQuery("SELECT life_stages($1, ARRAY[$2]::date[], $3)")
          .execute(io.vertx.sqlclient.Tuple.of(day.plusDays(1), birth, day))).iterator().next();
      List<String> sql = List.of(row.getArrayOfStrings(0));
      assertEquals(LifeStages.on(day, day.plusDays(1), List.of(birth)), sql, "born " + birth);
    }
  }

  @Test
  void badProfilesAreRefusedAndNothingIsStored() throws Exception {
    DeliveryApi me = citizen();
    problem(400, "unknown-category", () -> me.saveMyProfile(profile().interests(List.of("kosodate", "sports"))));
    problem(400, "unknown-district", () -> me.saveMyProfile(profile().workDistrict("d9")));
    problem(400, "unknown-tenant", () -> me.saveMyProfile(profile().tenantCode("011002")));
    problem(400, "invalid-date", () -> me.saveMyProfile(profile().childBirthDates(List.of("2025-02-30"))));
    problem(400, "invalid-birth-date", () -> me.saveMyProfile(profile().childBirthDates(List.of(TODAY.plusDays(1).toString()))));
    problem(400, "due-date-in-past", () -> me.saveMyProfile(profile().dueDate(TODAY.minusDays(1).toString())));
    problem(400, "due-date-too-far", () -> me.saveMyProfile(profile().dueDate(TODAY.plusMonths(10).plusDays(1).toString())));
    problem(400, "invalid-quiet-hours", () -> me.saveMyProfile(profile().quietHours(new QuietHours().start("07:00").end("07:00"))));
    problem(400, "invalid-request", () -> me.saveMyProfile(profile().dueDate("next spring")));
    problem(404, "not-found", me::getMyProfile);
    // the edge of the window is accepted
    me.saveMyProfile(profile().dueDate(TODAY.plusMonths(10).toString()));
    me.saveMyProfile(profile().dueDate(TODAY.toString()));
    problem(400, "unknown-category", () -> me.saveMyProfile(profile().interests(List.of("sports"))));
    assertEquals(TODAY.toString(), me.getMyProfile().getDueDate(), "a refused save leaves the stored profile as it was");
  }

  @Test
  void subscriptionsOfEveryKindAndTheirRefusals() throws Exception {
    DeliveryApi me = citizen();
    Subscription topics = me.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.TOPICS).tenantCode(SHIMADA)
        .categories(List.of("kosodate")).tags(List.of("保育")).match(SubscriptionInput.MatchEnum.ALL).frequency(Frequency.WEEKLY));
    assertEquals(Subscription.MatchEnum.ALL, topics.getMatch());
    Subscription search = me.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.SEARCH).tenantCode(SHIMADA)
        .search(new SavedSearchInput().text("防災 訓練").filters(Map.of("district", List.of("d1")))));
    assertEquals("防災 訓練", search.getSearch().getText());
    Subscription other = me.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.TENANT).tenantCode(ICHIHARA)
        .categories(List.of("bousai")));
    var page = editor.upsertPage(SHIMADA, ContentTesting.page("https://www.city.shimada.shizuoka.jp/p/1.html", "ページ", "<p>本文</p>", "gomi"));
    Subscription onePage = me.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.PAGE).tenantCode(SHIMADA)
        .pageId(page.getPage().getId()));
    assertEquals(List.of(topics.getId(), search.getId(), other.getId(), onePage.getId()),
        me.listMySubscriptions().getItems().stream().map(Subscription::getId).toList());

    problem(400, "unknown-category", () -> me.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.TOPICS)
        .tenantCode(ICHIHARA).categories(List.of("kankou"))));
    problem(400, "invalid-subscription", () -> me.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.TOPICS)
        .tenantCode(SHIMADA)));
    problem(400, "invalid-subscription", () -> me.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.PAGE)
        .tenantCode(SHIMADA)));
    problem(400, "unknown-page", () -> me.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.PAGE)
        .tenantCode(ICHIHARA).pageId(page.getPage().getId())));
    problem(400, "invalid-search", () -> me.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.SEARCH)
        .tenantCode(SHIMADA).search(new SavedSearchInput().text("防災").filters(Map.of("published", List.of("week"))))));
    problem(400, "invalid-search", () -> me.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.SEARCH)
        .tenantCode(SHIMADA).search(new SavedSearchInput().text("防災").filters(Map.of("colour", List.of("red"))))));
    problem(400, "invalid-subscription", () -> me.createSubscription(new SubscriptionInput().kind(SubscriptionInput.KindEnum.SEARCH)
        .tenantCode(SHIMADA).search(new SavedSearchInput().text(" "))));
    assertEquals(4, me.listMySubscriptions().getItems().size(), "refusals store nothing");

    me.deleteSubscription(search.getId());
    me.deleteSubscription(search.getId());
    me.deleteSubscription(UUID.randomUUID());
    assertFalse(me.listMySubscriptions().getItems().stream().anyMatch(s -> s.getId().equals(search.getId())));
  }

  @Test
  void profilesArePrivateAndStaffSeeCountsOnly() throws Exception {
    jp.tsunagu.api.invoker.ApiClient aClient = DeliveryTesting.citizen(node, "private" + (++citizens) + "@example.jp");
    DeliveryApi a = new DeliveryApi(aClient);
    a.saveMyProfile(profile().channels(List.of(jp.tsunagu.api.model.Channel.EMAIL)));
    DeliveryApi b = citizen();
    problem(404, "not-found", b::getMyProfile);
    problem(401, "unauthenticated", () -> new DeliveryApi(node.client()).getMyProfile());
    problem(401, "unauthenticated", () -> new DeliveryApi(node.client()).listMySubscriptions());
    ProfileStatistics stats = new DeliveryApi(editorClient).getProfileStatistics(SHIMADA);
    assertTrue(stats.getProfiles() >= 1);
    assertTrue(stats.getChannels().get("email") >= 1);
    problem(404, "not-found", () -> new DeliveryApi(editorClient).getProfileStatistics(ICHIHARA));
    problem(401, "unauthenticated", () -> new DeliveryApi(aClient).getProfileStatistics(SHIMADA));
  }
}

package jp.tsunagu.platform.circular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.api.client.CircularApi;
import jp.tsunagu.api.client.CitizenApi;
import jp.tsunagu.api.client.StaffApi;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.api.invoker.ApiException;
import jp.tsunagu.api.model.CircularArchiveItem;
import jp.tsunagu.api.model.CircularArchivePage;
import jp.tsunagu.api.model.JoinAssociationRequest;
import jp.tsunagu.api.model.NewAssociation;
import jp.tsunagu.api.model.NewCircular;
import jp.tsunagu.api.model.NewHousehold;
import jp.tsunagu.api.model.SignInRequest;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The archive of past circulars: members (also those who joined later) and officers search it by
 * words and dates with width, case and kana forgiven; nobody else learns it exists; an officer
 * prints a circular with the households that get it on paper.
 */
class CircularArchiveIT {
  static TestPlatform node;
  static Fixtures fixtures;
  static UUID association;
  static UUID gomi;
  static ApiClient officer;
  static ApiClient member;
  static ApiClient outsider;
  static final String TODAY = LocalDate.now(ZoneId.of("Asia/Tokyo")).toString();

  @BeforeAll
  static void start() throws Exception {
    node = TestPlatform.start();
    fixtures = new Fixtures(node);
    fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    officer = citizen("archive-officer@example.jp");
    ApiClient staff = node.client();
    new StaffApi(staff).staffSignIn(new SignInRequest().email("editor@shimada.example").password(Fixtures.PASSWORD));
    association = new CircularApi(staff).createAssociation(Fixtures.SHIMADA,
        new NewAssociation().districtCode("d1").name("栄町自治会").officerEmail("archive-officer@example.jp")).getId();
    CircularApi officerApi = new CircularApi(officer);
    String code = officerApi.addHousehold(association, new NewHousehold().label("1班-青木").addressBlock("栄町1-1")).getInvitationCode();
    officerApi.addHousehold(association, new NewHousehold().label("2班-石井").addressBlock("栄町2-5"));

    // sent before anyone joined: still in the archive the newcomer searches
    gomi = officerApi.sendCircular(association, new NewCircular().title("ゴミ出しのルール変更")
        .body("１２月から燃えるゴミは火曜と金曜です。ＰＥＴボトルは水曜。")).getId();
    officerApi.sendCircular(association, new NewCircular().title("防災訓練 100%参加のお願い")
        .body("避難所は栄町公民館です").question("参加しますか").choices(List.of("参加", "不参加")));
    officerApi.sendCircular(association, new NewCircular().title("夏祭り_実行委員募集").body("実行委員を募集します。"));

    member = citizen("archive-member@example.jp");
    new CircularApi(member).joinAssociation(new JoinAssociationRequest().invitationCode(code)
        .consentedItems(Set.of("name", "address_block")));
    outsider = citizen("archive-outsider@example.jp");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static ApiClient citizen(String email) throws ApiException {
    fixtures.verifiedCitizen(email);
    ApiClient client = node.client();
    new CitizenApi(client).signIn(new SignInRequest().email(email).password(Fixtures.PASSWORD));
    return client;
  }

  static List<String> titles(CircularArchivePage page) {
    return page.getItems().stream().map(CircularArchiveItem::getTitle).toList();
  }

  static CircularArchivePage search(ApiClient who, String q) throws ApiException {
    return new CircularApi(who).searchCircularArchive(association, q, null, null, null, null);
  }

  @Test
  void aMemberWhoJoinedLaterFindsPastCircularsWithWidthCaseAndKanaForgiven() throws Exception {
    CircularArchivePage all = search(member, null);
    assertEquals(3, all.getTotal());
    assertEquals(List.of("夏祭り_実行委員募集", "防災訓練 100%参加のお願い", "ゴミ出しのルール変更"), titles(all), "newest first");

    assertEquals(List.of("ゴミ出しのルール変更"), titles(search(member, "ごみ")), "hiragana finds katakana");
    assertEquals(List.of("ゴミ出しのルール変更"), titles(search(member, "ｺﾞﾐ")), "half-width katakana");
    assertEquals(List.of("ゴミ出しのルール変更"), titles(search(member, "pet")), "full-width letters, any case");
    assertEquals(List.of("ゴミ出しのルール変更"), titles(search(member, "12月　火曜")), "full-width digits; every word must match");
    assertEquals(List.of(), titles(search(member, "ゴミ 公民館")));
    assertEquals(List.of("防災訓練 100%参加のお願い"), titles(search(member, "公民館")), "the text is searched too");

    assertEquals(List.of("防災訓練 100%参加のお願い"), titles(search(member, "100%")), "a percent sign is literal");
    assertEquals(List.of("防災訓練 100%参加のお願い"), titles(search(member, "100")), "digits are words, not numbers");
    assertEquals(List.of(), titles(search(member, "\"防災訓練\"")), "quotes are characters to match, not JSON");
    assertEquals(List.of(), titles(search(member, "C++")));
    assertEquals(List.of(), titles(search(member, "%")).stream().filter(t -> !t.contains("%")).toList());
    assertEquals(List.of("夏祭り_実行委員募集"), titles(search(member, "_")), "an underscore is literal");

    CircularArchiveItem drill = search(member, "防災").getItems().get(0);
    assertTrue(drill.getHasQuestion());
    assertEquals(CircularArchiveItem.SentByEnum.OFFICER, drill.getSentBy());
  }

  @Test
  void pagesAndDatesNarrowTheArchive() throws Exception {
    CircularApi api = new CircularApi(member);
    CircularArchivePage second = api.searchCircularArchive(association, null, null, null, 2, 2);
    assertEquals(3, second.getTotal());
    assertEquals(List.of("ゴミ出しのルール変更"), titles(second));
    CircularArchivePage beyond = api.searchCircularArchive(association, null, null, null, 2, 10);
    assertEquals(3, beyond.getTotal(), "past the end the total is still told");
    assertTrue(beyond.getItems().isEmpty());

    LocalDate today = LocalDate.parse(TODAY);
    assertEquals(3, api.searchCircularArchive(association, null, today, today, null, null).getTotal());
    assertEquals(0, api.searchCircularArchive(association, null, today.plusDays(1), null, null, null).getTotal());
    assertEquals(0, api.searchCircularArchive(association, null, null, today.minusDays(1), null, null).getTotal());
  }

  @Test
  void badSearchesAreRefusedAndStrangersLearnNothing() throws Exception {
    CircularApi api = new CircularApi(member);
    LocalDate today = LocalDate.parse(TODAY);
    assertEquals(400, assertThrows(ApiException.class,
        () -> api.searchCircularArchive(association, null, today, today.minusDays(3), null, null)).getCode(), "from after to");
    assertEquals(400, assertThrows(ApiException.class,
        () -> api.searchCircularArchive(association, null, null, null, 101, null)).getCode(), "page size");
    assertEquals(400, assertThrows(ApiException.class,
        () -> api.searchCircularArchive(association, "あ".repeat(101), null, null, null, null)).getCode(), "query length");
    assertEquals(400, assertThrows(ApiException.class,
        () -> api.searchCircularArchive(association, "a b c d e f g h i", null, null, null, null)).getCode(), "too many words");
    HttpResponse<String> badDate = get(member, "/api/v1/me/associations/" + association + "/circulars?from=2026-13-01");
    assertEquals(400, badDate.statusCode());
    assertTrue(badDate.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));

    assertEquals(404, assertThrows(ApiException.class, () -> search(outsider, null)).getCode());
    assertEquals(404, assertThrows(ApiException.class,
        () -> new CircularApi(outsider).getArchivedCircular(association, gomi)).getCode());
    assertEquals(404, assertThrows(ApiException.class,
        () -> new CircularApi(member).getArchivedCircular(UUID.randomUUID(), gomi)).getCode());
    assertEquals(401, assertThrows(ApiException.class, () -> search(node.client(), null)).getCode());
  }

  @Test
  void readingFromTheArchiveWritesNoReceipt() throws Exception {
    var read = new CircularApi(member).getArchivedCircular(association, gomi);
    assertEquals("ゴミ出しのルール変更", read.getTitle());
    assertEquals("栄町自治会", read.getAssociationName());
    assertTrue(read.getAttachments().isEmpty());
    assertTrue(new CircularApi(member).listMyCirculars().getItems().isEmpty(), "sent before joining: not in the inbox");
  }

  @Test
  void theArchivePageSearchesAndAnOfficerPrintsForHouseholdsOnPaper() throws Exception {
    HttpResponse<String> page = get(member, "/circulars/associations/" + association + "?q="
        + URLEncoder.encode("ごみ", StandardCharsets.UTF_8));
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("ゴミ出しのルール変更"), page.body());
    assertFalse(page.body().contains("夏祭り"), "only the matches");

    HttpResponse<String> badPage = get(member, "/circulars/associations/" + association + "?from=yesterday");
    assertEquals(400, badPage.statusCode());
    assertTrue(badPage.body().contains("class=\"error\""), "the page explains the bad date");

    HttpResponse<String> archived = get(member, "/circulars/associations/" + association + "/" + gomi);
    assertEquals(200, archived.statusCode());
    assertFalse(archived.body().contains("id=\"print-link\""), "members do not print for the association");
    assertEquals(404, get(member, "/circulars/associations/" + association + "/" + gomi + "/print").statusCode());
    assertEquals(404, get(outsider, "/circulars/associations/" + association).statusCode());

    HttpResponse<String> forOfficer = get(officer, "/circulars/associations/" + association + "/" + gomi);
    assertTrue(forOfficer.body().contains("id=\"print-link\""));
    HttpResponse<String> print = get(officer, "/circulars/associations/" + association + "/" + gomi + "/print");
    assertEquals(200, print.statusCode());
    assertTrue(print.body().contains("2班-石井") && print.body().contains("栄町2-5"), "the household without a digital member");
    assertFalse(print.body().contains("1班-青木"), "the member's household reads it online");
    assertTrue(print.body().contains("燃えるゴミは火曜と金曜"));

    HttpResponse<String> inbox = get(member, "/circulars");
    assertTrue(inbox.body().contains("/circulars/associations/" + association), "the inbox leads to the archive");
  }

  static HttpResponse<String> get(ApiClient who, String path) throws Exception {
    return who.getHttpClient().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

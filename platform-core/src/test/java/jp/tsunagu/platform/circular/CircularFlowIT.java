package jp.tsunagu.platform.circular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.api.client.CircularApi;
import jp.tsunagu.api.client.CitizenApi;
import jp.tsunagu.api.client.StaffApi;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.api.invoker.ApiException;
import jp.tsunagu.api.model.Association;
import jp.tsunagu.api.model.CircularAnswer;
import jp.tsunagu.api.model.CircularHousehold;
import jp.tsunagu.api.model.CircularReport;
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
 * A neighbourhood association linked by consent: households join with an invitation code and
 * consent, receive and answer a circular; the officer sees names only under consent, each name
 * read lands in the member's access log; leaving withdraws consent and ends access at once.
 */
class CircularFlowIT {
  static TestPlatform node;
  static Fixtures fixtures;

  @BeforeAll
  static void start() {
    node = TestPlatform.start();
    fixtures = new Fixtures(node);
    fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
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

  static java.net.http.HttpResponse<String> upload(ApiClient client, UUID association, UUID circular, String type,
                                                   String filename, byte[] body) throws Exception {
    return client.getHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.baseUrl()
            + "/api/v1/associations/" + association + "/circulars/" + circular + "/attachments?filename="
            + java.net.URLEncoder.encode(filename, java.nio.charset.StandardCharsets.UTF_8)))
        .header("Content-Type", type).POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void citizenSeesConsentReceiptAndAccessLogAndWithdrawsThroughTheConsentApi() throws Exception {
    ApiClient officer = citizen("officer2@example.jp");
    ApiClient staff = node.client();
    new StaffApi(staff).staffSignIn(new SignInRequest().email("editor@shimada.example").password(Fixtures.PASSWORD));
    UUID id = new CircularApi(staff).createAssociation(Fixtures.SHIMADA,
        new NewAssociation().districtCode("d2").name("第一小学区自治会").officerEmail("officer2@example.jp")).getId();
    String code = new CircularApi(officer).addHousehold(id, new NewHousehold().label("A").addressBlock("1-1")).getInvitationCode();
    ApiClient member = citizen("member2@example.jp");
    new CircularApi(member).joinAssociation(new JoinAssociationRequest().invitationCode(code).consentedItems(Set.of("name", "address_block")));
    var sent = new CircularApi(officer).sendCircular(id, new NewCircular().title("回覧").body("本文"));
    new CircularApi(officer).getCircularReport(id, sent.getId());

    jp.tsunagu.api.client.ConsentApi consents = new jp.tsunagu.api.client.ConsentApi(member);
    var mine = consents.listMyConsents().getItems();
    assertEquals(1, mine.size());
    assertEquals("association:" + id, mine.get(0).getServiceId());
    assertEquals(jp.tsunagu.api.model.Consent.StateEnum.GIVEN, mine.get(0).getState());
    String receipt = consents.getConsentReceipt(mine.get(0).getId()).getReceipt();
    var verified = Fixtures.await(node.platform().services().consent().receipts().verify(receipt));
    assertTrue(verified.toString().contains(mine.get(0).getId().toString()), verified.toString());
    assertEquals(404, assertThrows(ApiException.class,
        () -> new jp.tsunagu.api.client.ConsentApi(officer).getConsentReceipt(mine.get(0).getId())).getCode(), "not the officer's");

    var log = consents.listMyAccessLog(null, null);
    assertTrue(log.getIntact());
    assertEquals(1, log.getItems().size());
    assertEquals(List.of("address_block", "name"), log.getItems().get(0).getItems().stream().sorted().toList());

    consents.withdrawConsent(mine.get(0).getId());
    consents.withdrawConsent(mine.get(0).getId());
    assertEquals(jp.tsunagu.api.model.Consent.StateEnum.WITHDRAWN, consents.listMyConsents().getItems().get(0).getState());
    assertNull(new CircularApi(officer).getCircularReport(id, sent.getId()).getHouseholds().get(0).getName());
    assertEquals(0, new CircularApi(member).listMyCirculars().getItems().size());

    ApiClient auditor = node.client();
    fixtures.operator("auditor-op@tsunagu.example");
    new StaffApi(auditor).staffSignIn(new SignInRequest().email("auditor-op@tsunagu.example").password(Fixtures.PASSWORD));
    var stats = new jp.tsunagu.api.client.ConsentApi(auditor).getConsentStatistics(Fixtures.SHIMADA).getItems();
    assertTrue(stats.stream().anyMatch(s -> s.getServiceId().equals("association:" + id) && s.getStates().get("withdrawn") == 1L));
    assertEquals(0, new jp.tsunagu.api.client.ConsentApi(auditor).verifyAccessLogs().getBroken().size());
    // tampering with a logged read is detected
    Fixtures.await(node.platform().services().pool().query(
        "UPDATE consent.access_log SET purpose = 'marketing' WHERE citizen_id = (SELECT id::text FROM account WHERE email = 'member2@example.jp')").execute());
    assertEquals(1, new jp.tsunagu.api.client.ConsentApi(auditor).verifyAccessLogs().getBroken().size());
    assertFalse(consents.listMyAccessLog(null, null).getIntact());
  }

  @Test
  void householdsJoinWithConsentReceiveAnswerAndLeave() throws Exception {
    ApiClient officer = citizen("chokai@example.jp");
    ApiClient staff = node.client();
    new StaffApi(staff).staffSignIn(new SignInRequest().email("editor@shimada.example").password(Fixtures.PASSWORD));
    Association association = new CircularApi(staff).createAssociation(Fixtures.SHIMADA,
        new NewAssociation().districtCode("d1").name("本通一丁目町内会").officerEmail("chokai@example.jp"));
    UUID id = association.getId();

    CircularApi officerApi = new CircularApi(officer);
    String codeA = officerApi.addHousehold(id, new NewHousehold().label("1班-佐藤").addressBlock("本通1-1")).getInvitationCode();
    String codeB = officerApi.addHousehold(id, new NewHousehold().label("1班-鈴木").addressBlock("本通1-2")).getInvitationCode();
    officerApi.addHousehold(id, new NewHousehold().label("2班-高橋").addressBlock("本通1-3"));

    ApiClient sato = citizen("sato@example.jp");
    ApiException partial = assertThrows(ApiException.class, () -> new CircularApi(sato).joinAssociation(
        new JoinAssociationRequest().invitationCode(codeA).consentedItems(Set.of("name"))));
    assertEquals(422, partial.getCode(), "both items are required: " + partial.getResponseBody());
    new CircularApi(sato).joinAssociation(new JoinAssociationRequest().invitationCode(codeA.toLowerCase())
        .consentedItems(Set.of("name", "address_block")));
    assertEquals(400, assertThrows(ApiException.class, () -> new CircularApi(citizen("thief@example.jp")).joinAssociation(
        new JoinAssociationRequest().invitationCode(codeA).consentedItems(Set.of("name", "address_block")))).getCode(),
        "an invitation code works once");
    ApiClient suzuki = citizen("suzuki@example.jp");
    new CircularApi(suzuki).joinAssociation(new JoinAssociationRequest().invitationCode(codeB)
        .consentedItems(Set.of("name", "address_block")));
    assertEquals(List.of("2班-高橋"), officerApi.listPaperHouseholds(id).getItems().stream().map(h -> h.getLabel()).toList());

    assertEquals(400, assertThrows(ApiException.class, () -> officerApi.sendCircular(id, new NewCircular().title("t").body("b")
        .deadline(OffsetDateTime.now().minusDays(1)))).getCode());
    var sent = officerApi.sendCircular(id, new NewCircular().title("清掃活動のお知らせ").body("11月30日 午前9時 公民館前に集合")
        .question("参加しますか").choices(List.of("参加", "不参加")).deadline(OffsetDateTime.now().plusDays(7)));
    assertEquals(2, sent.getRecipients());
    assertEquals(404, assertThrows(ApiException.class, () -> new CircularApi(sato).sendCircular(id,
        new NewCircular().title("x").body("y"))).getCode(), "members who are not officers cannot send");

    assertFalse(new CircularApi(sato).listMyCirculars().getItems().get(0).getRead());
    // attachments: the content must match its type
    byte[] pdf = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertEquals(201, upload(officer, id, sent.getId(), "application/pdf", "清掃 案内.pdf", pdf).statusCode());
    assertEquals(415, upload(officer, id, sent.getId(), "application/pdf", "fake.pdf", "<html>".getBytes()).statusCode());
    assertEquals(415, upload(officer, id, sent.getId(), "text/html", "x.html", "<html>".getBytes()).statusCode());
    assertEquals(400, upload(officer, id, sent.getId(), "image/png", "empty.png", new byte[0]).statusCode());
    byte[] huge = new byte[10 * 1024 * 1024 + 1];
    huge[0] = (byte) 0xff;
    huge[1] = (byte) 0xd8;
    huge[2] = (byte) 0xff;
    assertEquals(413, upload(officer, id, sent.getId(), "image/jpeg", "huge.jpg", huge).statusCode());
    assertEquals(404, upload(sato, id, sent.getId(), "application/pdf", "x.pdf", pdf).statusCode(), "members cannot attach");

    CircularApi satoApi = new CircularApi(sato);
    var opened = satoApi.openCircular(sent.getId());
    assertEquals(1, opened.getAttachments().size());
    assertEquals("清掃 案内.pdf", opened.getAttachments().get(0).getFilename());
    var file = sato.getHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.baseUrl()
            + "/api/v1/me/circulars/" + sent.getId() + "/attachments/" + opened.getAttachments().get(0).getId())).build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, file.statusCode());
    assertEquals("application/pdf", file.headers().firstValue("content-type").orElse(""));
    org.junit.jupiter.api.Assertions.assertArrayEquals(pdf, file.body());
    var outsider = citizen("outsider@example.jp");
    assertEquals(404, outsider.getHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.baseUrl()
            + "/api/v1/me/circulars/" + sent.getId() + "/attachments/" + opened.getAttachments().get(0).getId())).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
    assertEquals("清掃活動のお知らせ", opened.getTitle());
    assertTrue(satoApi.listMyCirculars().getItems().get(0).getRead());
    assertEquals(400, assertThrows(ApiException.class, () -> satoApi.answerCircular(sent.getId(), new CircularAnswer().choice("たぶん"))).getCode());
    satoApi.answerCircular(sent.getId(), new CircularAnswer().choice("参加"));

    // Suzuki has not answered and the deadline is near: one reminder mail, once
    Fixtures.await(node.platform().services().pool().preparedQuery("UPDATE circular SET deadline = now() + interval '2 hours' WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(sent.getId())));
    assertEquals(1, Fixtures.await(node.platform().services().circulars().remindBeforeDeadlines()));
    assertEquals(0, Fixtures.await(node.platform().services().circulars().remindBeforeDeadlines()));
    assertTrue(fixtures.lastMailTo("suzuki@example.jp").getString("subject").contains("清掃活動のお知らせ"));

    // a notice from the city reaches every member of the association
    var notice = new CircularApi(staff).sendCityNotice(Fixtures.SHIMADA, new jp.tsunagu.api.model.NewCityNotice()
        .title("防災訓練のお知らせ").body("12月7日に市内一斉防災訓練を行います。"));
    assertTrue(notice.getAssociations() >= 1);
    assertTrue(new CircularApi(suzuki).listMyCirculars().getItems().stream().anyMatch(c -> c.getTitle().equals("防災訓練のお知らせ")));
    assertEquals(422, assertThrows(ApiException.class, () -> new CircularApi(staff).sendCityNotice(Fixtures.SHIMADA,
        new jp.tsunagu.api.model.NewCityNotice().title("x").body("y").associationIds(List.of(UUID.randomUUID())))).getCode());

    CircularReport report = officerApi.getCircularReport(id, sent.getId());
    assertEquals(1, report.getRead());
    assertEquals(1, report.getTally().get("参加"));
    assertEquals(0, report.getTally().get("不参加"));
    CircularHousehold satoRow = report.getHouseholds().stream().filter(h -> h.getLabel().equals("1班-佐藤")).findFirst().orElseThrow();
    assertEquals("テスト 市民", satoRow.getName());
    assertEquals("本通1-1", satoRow.getAddressBlock());
    var satoLog = new jp.tsunagu.api.client.ConsentApi(sato).listMyAccessLog(null, null).getItems();
    assertEquals(1, satoLog.size(), "the name shown is in the member's access log");

    // Sato leaves: consent withdrawn before the answer; the officer no longer sees the name
    new CircularApi(sato).leaveAssociation(id);
    new CircularApi(sato).leaveAssociation(id);
    CircularReport after = officerApi.getCircularReport(id, sent.getId());
    CircularHousehold gone = after.getHouseholds().stream().filter(h -> h.getLabel().equals("1班-佐藤")).findFirst().orElseThrow();
    assertNull(gone.getName());
    assertNull(gone.getAddressBlock());
    assertEquals(0, satoApi.listMyCirculars().getItems().size(), "a former member's access ends");
    assertEquals(404, assertThrows(ApiException.class, () -> satoApi.openCircular(sent.getId())).getCode());
    assertEquals(2, officerApi.listPaperHouseholds(id).getItems().size());
  }
}

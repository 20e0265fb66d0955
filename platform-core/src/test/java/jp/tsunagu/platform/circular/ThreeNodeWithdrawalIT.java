package jp.tsunagu.platform.circular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.CookieManager;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.api.client.CircularApi;
import jp.tsunagu.api.client.CitizenApi;
import jp.tsunagu.api.client.ConsentApi;
import jp.tsunagu.api.client.StaffApi;
import jp.tsunagu.api.invoker.ApiClient;
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
 * Three nodes in one Hazelcast cluster: decisions cached on every node, a withdrawal made through
 * one node, and the very next read on each other node is refused — the withdraw call returns only
 * after every member has dropped its cached decisions.
 */
class ThreeNodeWithdrawalIT {
  static final TestPlatform[] NODES = new TestPlatform[3];

  @BeforeAll
  static void start() {
    TestPlatform.Cluster cluster = new TestPlatform.Cluster();
    for (int i = 0; i < NODES.length; i++) {
      NODES[i] = TestPlatform.start(cluster, Map.of());
    }
  }

  @AfterAll
  static void stop() {
    for (int i = NODES.length - 1; i >= 0; i--) {
      NODES[i].close();
    }
  }

  /** One signed-in browser per node, all sharing one session cookie jar. */
  static ApiClient[] browser(String email, boolean staff) throws Exception {
    CookieManager jar = new CookieManager();
    ApiClient[] clients = new ApiClient[NODES.length];
    for (int i = 0; i < NODES.length; i++) {
      clients[i] = new ApiClient();
      clients[i].updateBaseUri(NODES[i].baseUrl());
      clients[i].setHttpClientBuilder(HttpClient.newBuilder().cookieHandler(jar));
    }
    if (staff) {
      new StaffApi(clients[0]).staffSignIn(new SignInRequest().email(email).password(Fixtures.PASSWORD));
    } else {
      new CitizenApi(clients[0]).signIn(new SignInRequest().email(email).password(Fixtures.PASSWORD));
    }
    return clients;
  }

  @Test
  void withdrawalOnOneNodeBlocksTheNextReadOnEveryOther() throws Exception {
    Fixtures fixtures = new Fixtures(NODES[0]);
    fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "editor3@shimada.example", Role.EDITOR);
    fixtures.verifiedCitizen("officer3@example.jp");
    fixtures.verifiedCitizen("member3@example.jp");
    ApiClient[] staff = browser("editor3@shimada.example", true);
    UUID id = new CircularApi(staff[0]).createAssociation(Fixtures.SHIMADA,
        new NewAssociation().districtCode("d1").name("三町内会").officerEmail("officer3@example.jp")).getId();
    ApiClient[] officer = browser("officer3@example.jp", false);
    ApiClient[] member = browser("member3@example.jp", false);
    String code = new CircularApi(officer[0]).addHousehold(id, new NewHousehold().label("A").addressBlock("1-1")).getInvitationCode();
    new CircularApi(member[1]).joinAssociation(new JoinAssociationRequest().invitationCode(code)
        .consentedItems(Set.of("name", "address_block")));
    UUID circular = new CircularApi(officer[2]).sendCircular(id, new NewCircular().title("回覧").body("本文")).getId();
    for (int round = 0; round < 3; round++) {
      for (ApiClient o : officer) {
        assertEquals("テスト 市民", new CircularApi(o).getCircularReport(id, circular).getHouseholds().get(0).getName(),
            "every node has the permitting decision cached");
      }
    }
    UUID consent = new ConsentApi(member[2]).listMyConsents().getItems().get(0).getId();
    new ConsentApi(member[2]).withdrawConsent(consent);
    for (ApiClient o : List.of(officer[0], officer[1], officer[2])) {
      assertNull(new CircularApi(o).getCircularReport(id, circular).getHouseholds().get(0).getName(),
          "no node releases the name after the withdraw call returned");
    }
  }
}

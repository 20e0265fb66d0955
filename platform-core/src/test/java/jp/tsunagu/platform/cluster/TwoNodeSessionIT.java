package jp.tsunagu.platform.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import jp.tsunagu.api.client.CitizenApi;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.api.invoker.ApiException;
import jp.tsunagu.api.model.SignInRequest;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on loopback form one Hazelcast cluster: a browser session started on one node is
 * served by the other, and rate-limit buckets are shared.
 */
class TwoNodeSessionIT {
  static TestPlatform first;
  static TestPlatform second;

  @BeforeAll
  static void start() {
    TestPlatform.Cluster cluster = new TestPlatform.Cluster();
    first = TestPlatform.start(cluster, Map.of());
    second = TestPlatform.start(cluster, Map.of());
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
  }

  /** Two API clients, one per node, sharing one cookie jar (like a browser behind a load balancer). */
  static ApiClient[] browser() {
    CookieManager jar = new CookieManager();
    ApiClient a = new ApiClient();
    a.updateBaseUri(first.baseUrl());
    a.setHttpClientBuilder(HttpClient.newBuilder().cookieHandler(jar));
    ApiClient b = new ApiClient();
    b.updateBaseUri(second.baseUrl());
    b.setHttpClientBuilder(HttpClient.newBuilder().cookieHandler(new CookieRelay(jar, URI.create(first.baseUrl()))));
    return new ApiClient[] {a, b};
  }

  @Test
  void theMembersSeeEachOther() {
    assertEquals(2, hazelcastMembers(first));
    assertEquals(2, hazelcastMembers(second));
    assertNotEquals(first.port(), second.port());
  }

  @Test
  void aSessionStartedOnOneNodeIsServedByTheOther() throws Exception {
    new Fixtures(first).verifiedCitizen("roaming@example.jp");
    ApiClient[] browser = browser();
    new CitizenApi(browser[0]).signIn(new SignInRequest().email("roaming@example.jp").password(Fixtures.PASSWORD));
    assertEquals("roaming@example.jp", new CitizenApi(browser[1]).getMyAccount().getEmail());
    new CitizenApi(browser[1]).signOut();
    assertEquals(401, assertThrows(ApiException.class, () -> new CitizenApi(browser[0]).getMyAccount()).getCode());
  }

  @Test
  void failedSignInsCountedOnOneNodeLimitTheOther() throws Exception {
    new Fixtures(first).verifiedCitizen("shared-limit@example.jp");
    for (int i = 0; i < 10; i++) {
      TestPlatform node = i % 2 == 0 ? first : second;
      assertEquals(401, assertThrows(ApiException.class, () -> new CitizenApi(node.client())
          .signIn(new SignInRequest().email("shared-limit@example.jp").password("not the password"))).getCode());
    }
    assertEquals(429, assertThrows(ApiException.class, () -> new CitizenApi(second.client())
        .signIn(new SignInRequest().email("shared-limit@example.jp").password(Fixtures.PASSWORD))).getCode());
  }

  private static int hazelcastMembers(TestPlatform node) {
    return ((io.vertx.core.internal.VertxInternal) node.platform().vertx()).clusterManager().getNodes().size();
  }
}

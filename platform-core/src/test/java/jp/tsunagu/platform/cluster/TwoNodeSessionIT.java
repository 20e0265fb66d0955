package jp.tsunagu.platform.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import jp.tsunagu.api.client.CitizenApi;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.api.invoker.ApiException;
import jp.tsunagu.api.model.ChangePasswordRequest;
import jp.tsunagu.api.model.ProfileUpdate;
import jp.tsunagu.api.model.SignInRequest;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.Poll;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on loopback form one Hazelcast cluster: a browser session started on one node is
 * served by the other, account changes reach both nodes' account caches before they return, and
 * rate-limit buckets are shared.
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

  /**
   * The platform ships Netty's epoll transport for Linux on x86-64 and aarch64, and a node there runs its event
   * loops on it (the cluster's traffic and every HTTP and PostgreSQL connection with them). Other
   * platforms run on Java NIO, which this test cannot check the absence of a native library for.
   */
  @Test
  void onLinuxTheEventLoopsRunOnTheNativeTransport() {
    assumeTrue(System.getProperty("os.name").equals("Linux") && java.util.Set.of("amd64", "aarch64").contains(System.getProperty("os.arch")),
        "the native transport is packaged for Linux on x86-64 and aarch64 only");
    assertTrue(first.platform().vertx().isNativeTransportEnabled(), String.valueOf(first.platform().vertx().unavailableNativeTransportCause()));
    assertTrue(second.platform().vertx().isNativeTransportEnabled());
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

  /**
   * Each node keeps signed-in accounts in memory. A password change through one node must end the
   * account's other sessions on every node by the time the change returns, even on a node that
   * has just served them from its cache.
   */
  @Test
  void aPasswordChangedThroughOneNodeEndsTheOtherSessionsOnEveryNodeAtOnce() throws Exception {
    new Fixtures(first).verifiedCitizen("two-phones@example.jp");
    ApiClient[] phone = browser();
    ApiClient[] laptop = browser();
    new CitizenApi(phone[0]).signIn(new SignInRequest().email("two-phones@example.jp").password(Fixtures.PASSWORD));
    new CitizenApi(laptop[1]).signIn(new SignInRequest().email("two-phones@example.jp").password(Fixtures.PASSWORD));
    for (ApiClient node : phone) {
      assertEquals("two-phones@example.jp", new CitizenApi(node).getMyAccount().getEmail());
    }

    new CitizenApi(laptop[0]).changePassword(new ChangePasswordRequest()
        .currentPassword(Fixtures.PASSWORD).newPassword("a brand new passphrase 2026"));

    for (ApiClient node : phone) {
      assertEquals(401, assertThrows(ApiException.class, () -> new CitizenApi(node).getMyAccount()).getCode());
    }
    for (ApiClient node : laptop) {
      assertEquals("two-phones@example.jp", new CitizenApi(node).getMyAccount().getEmail(), "the changing session stays");
    }
  }

  @Test
  void aProfileChangedThroughOneNodeIsWhatTheOtherNodeAnswersNext() throws Exception {
    new Fixtures(first).verifiedCitizen("renamed@example.jp");
    ApiClient[] browser = browser();
    new CitizenApi(browser[0]).signIn(new SignInRequest().email("renamed@example.jp").password(Fixtures.PASSWORD));
    String before = new CitizenApi(browser[1]).getMyAccount().getDisplayName();

    new CitizenApi(browser[0]).updateMyAccount(new ProfileUpdate().displayName("改名 太郎").locale(ProfileUpdate.LocaleEnum.JA));

    assertNotEquals("改名 太郎", before);
    assertEquals("改名 太郎", new CitizenApi(browser[1]).getMyAccount().getDisplayName());
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

  @Test
  void failedSignInsCountedOnOneNodeOnlyLimitTheOtherOnceItHasHeard() throws Exception {
    new Fixtures(first).verifiedCitizen("heard-limit@example.jp");
    for (int i = 0; i < 10; i++) {
      assertEquals(401, assertThrows(ApiException.class, () -> new CitizenApi(first.client())
          .signIn(new SignInRequest().email("heard-limit@example.jp").password("not the password"))).getCode());
    }
    // the second node has counted nothing itself: it knows of the count from the first node's announcement
    jp.tsunagu.platform.ratelimit.RateLimiter.Limit perAccount =
        new jp.tsunagu.platform.ratelimit.RateLimiter.Limit(jp.tsunagu.platform.account.AccountService.SIGN_IN_PER_ACCOUNT, 10, 900);
    Poll.until(java.time.Duration.ofSeconds(10), "the second node hears of the count",
        () -> second.platform().services().limiter().knowsCounted(perAccount, "heard-limit@example.jp"));
    assertEquals(429, assertThrows(ApiException.class, () -> new CitizenApi(second.client())
        .signIn(new SignInRequest().email("heard-limit@example.jp").password(Fixtures.PASSWORD))).getCode());
    // and a bucket nobody counted in costs no counter read: the right password goes through on either node
    new Fixtures(first).verifiedCitizen("unlimited@example.jp");
    new CitizenApi(second.client()).signIn(new SignInRequest().email("unlimited@example.jp").password(Fixtures.PASSWORD));
    org.junit.jupiter.api.Assertions.assertFalse(second.platform().services().limiter().knowsCounted(perAccount, "unlimited@example.jp"));
  }

  private static int hazelcastMembers(TestPlatform node) {
    return ((io.vertx.core.internal.VertxInternal) node.platform().vertx()).clusterManager().getNodes().size();
  }
}

package jp.tsunagu.platform.oidc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.api.client.OpenidClientsApi;
import jp.tsunagu.api.client.StaffApi;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.api.model.NewOidcClient;
import jp.tsunagu.api.model.OidcClient;
import jp.tsunagu.api.model.SignInRequest;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;

/** A platform node whose public URL is its own address (the issuer), with a municipality and its admin. */
final class OidcTestNode {
  static final String ADMIN = "oidc-admin@shimada.example";

  private OidcTestNode() {}

  static Map<String, String> settings(int port, Map<String, String> extra) {
    Map<String, String> s = new HashMap<>();
    s.put("http.port", String.valueOf(port));
    s.put("http.publicUrl", "http://127.0.0.1:" + port);
    s.putAll(extra);
    return s;
  }

  static TestPlatform start(Map<String, String> extra) {
    int port = TestPlatform.freePort();
    TestPlatform node = TestPlatform.start(settings(port, extra));
    new Fixtures(node).tenantWithStaff(Fixtures.SHIMADA, "島田市", ADMIN, Role.TENANT_ADMIN);
    return node;
  }

  static ApiClient admin(TestPlatform node) throws Exception {
    ApiClient client = node.client();
    new StaffApi(client).staffSignIn(new SignInRequest().email(ADMIN).password(Fixtures.PASSWORD));
    return client;
  }

  /** Registers a confidential client (client_secret_basic, code + refresh) through the staff API. */
  static OidcClient confidential(TestPlatform node, String redirect, String logout, String backchannel) throws Exception {
    NewOidcClient c = new NewOidcClient().name("図書館").redirectUris(List.of(redirect))
        .scopes(List.of("openid", "profile", "email", "municipality", "address"))
        .grantTypes(List.of(NewOidcClient.GrantTypesEnum.AUTHORIZATION_CODE, NewOidcClient.GrantTypesEnum.REFRESH_TOKEN));
    if (logout != null) {
      c.postLogoutRedirectUris(List.of(logout));
    }
    if (backchannel != null) {
      c.backchannelLogoutUri(backchannel);
    }
    return new OpenidClientsApi(admin(node)).registerOidcClient(Fixtures.SHIMADA, c);
  }

  /** A confidential client of {@link #confidential}, as a relying party. */
  static Rp confidentialRp(TestPlatform node, String redirect) throws Exception {
    OidcClient c = confidential(node, redirect, null, null);
    return new Rp(node.baseUrl(), c.getClientId(), c.getClientSecret(), redirect);
  }

  /** Registers {@code c} (named サービス, with {@code redirect} as its one redirect URI), as a relying party. */
  static Rp register(TestPlatform node, OpenidClientsApi api, NewOidcClient c, String redirect) throws Exception {
    OidcClient registered = api.registerOidcClient(Fixtures.SHIMADA, c.name("サービス").redirectUris(List.of(redirect)));
    return new Rp(node.baseUrl(), registered.getClientId(), registered.getClientSecret(), redirect);
  }
}

package jp.tsunagu.platform.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import jp.tsunagu.api.client.OpenidClientsApi;
import jp.tsunagu.api.client.StaffApi;
import jp.tsunagu.api.client.TenantApi;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.api.invoker.ApiException;
import jp.tsunagu.api.model.NewOidcClient;
import jp.tsunagu.api.model.NewOidcClient.GrantTypesEnum;
import jp.tsunagu.api.model.NewOidcClient.TokenEndpointAuthMethodEnum;
import jp.tsunagu.api.model.OidcClient;
import jp.tsunagu.api.model.SignInRequest;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tenant admins register services through the JSON API; the secret is shown once; every change is audited. */
class OidcClientsIT {
  static TestPlatform node;
  static OpenidClientsApi admin;

  @BeforeAll
  static void start() throws Exception {
    node = OidcTestNode.start(Map.of());
    admin = new OpenidClientsApi(OidcTestNode.admin(node));
    Fixtures fixtures = new Fixtures(node);
    fixtures.tenantWithStaff(Fixtures.ICHIHARA, "市原市", "admin@ichihara.example", Role.TENANT_ADMIN);
    Fixtures.await(node.platform().services().staff().create(jp.tsunagu.platform.staff.Staff.SYSTEM, Fixtures.SHIMADA,
        "clerk-clients@shimada.example", "Clerk", java.util.EnumSet.of(Role.RESIDENT_CLERK), Fixtures.PASSWORD));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static ApiClient staff(String email) throws Exception {
    ApiClient c = node.client();
    new StaffApi(c).staffSignIn(new SignInRequest().email(email).password(Fixtures.PASSWORD));
    return c;
  }

  @Test
  void registrationShowsTheSecretOnceAndIsAudited() throws Exception {
    OidcClient created = admin.registerOidcClient(Fixtures.SHIMADA, new NewOidcClient().name("島田市立図書館")
        .redirectUris(List.of("https://library.example/cb")).scopes(List.of("openid", "profile"))
        .postLogoutRedirectUris(List.of("https://library.example/bye")).backchannelLogoutUri("https://library.example/bcl")
        .grantTypes(List.of(GrantTypesEnum.AUTHORIZATION_CODE, GrantTypesEnum.REFRESH_TOKEN)));
    assertNotNull(created.getClientSecret());
    assertEquals("library.example", created.getSectorIdentifier());
    assertEquals(Boolean.FALSE, created.getPublicSubject());
    OidcClient read = admin.getOidcClient(Fixtures.SHIMADA, created.getClientId());
    assertNull(read.getClientSecret(), "the secret is shown only at registration");
    assertTrue(admin.listOidcClients(Fixtures.SHIMADA).getItems().stream().anyMatch(c -> c.getClientId().equals(created.getClientId())));
    var audit = new TenantApi(OidcTestNode.admin(node)).listAuditLog(Fixtures.SHIMADA, null, 50).getItems();
    assertTrue(audit.stream().anyMatch(e -> "oidc-client.registered".equals(e.getAction()) && created.getClientId().equals(e.getTargetId())));

    admin.deleteOidcClient(Fixtures.SHIMADA, created.getClientId());
    admin.deleteOidcClient(Fixtures.SHIMADA, created.getClientId());
    assertEquals(404, assertThrows(ApiException.class, () -> admin.getOidcClient(Fixtures.SHIMADA, created.getClientId())).getCode());
    HttpResponse<String> gone = new Browserless(node.baseUrl()).get("/oauth2/authorize?response_type=code&scope=openid&client_id="
        + created.getClientId() + "&redirect_uri=" + Browserless.enc("https://library.example/cb"));
    assertEquals(400, gone.statusCode());
  }

  @Test
  void aServiceThatSignsNoCitizenInNeedsNoRedirectUri() throws Exception {
    OidcClient api = admin.registerOidcClient(Fixtures.SHIMADA, new NewOidcClient().name("庁内連携 API")
        .grantTypes(List.of(GrantTypesEnum.CLIENT_CREDENTIALS)).scopes(List.of("handbook.write")));
    assertEquals(List.of(), api.getRedirectUris());
    assertEquals(api.getClientId(), api.getSectorIdentifier(), "a sector of its own");
  }

  @Test
  void onlyTheMunicipalitysAdminsRegister() throws Exception {
    NewOidcClient c = new NewOidcClient().name("x").redirectUris(List.of("https://x.example/cb"));
    assertEquals(403, assertThrows(ApiException.class,
        () -> new OpenidClientsApi(staff("clerk-clients@shimada.example")).registerOidcClient(Fixtures.SHIMADA, c)).getCode());
    assertEquals(404, assertThrows(ApiException.class,
        () -> new OpenidClientsApi(staff("admin@ichihara.example")).registerOidcClient(Fixtures.SHIMADA, c)).getCode());
    assertEquals(401, assertThrows(ApiException.class,
        () -> new OpenidClientsApi(node.client()).registerOidcClient(Fixtures.SHIMADA, c)).getCode());
  }

  @Test
  void badRegistrationsAreRefused() {
    for (NewOidcClient bad : List.of(
        new NewOidcClient().name("http elsewhere").redirectUris(List.of("http://library.example/cb")),
        new NewOidcClient().name("fragment").redirectUris(List.of("https://library.example/cb#x")),
        new NewOidcClient().name("relative").redirectUris(List.of("/cb")),
        new NewOidcClient().name("no redirect"),
        new NewOidcClient().name("public cc").tokenEndpointAuthMethod(TokenEndpointAuthMethodEnum.NONE)
            .grantTypes(List.of(GrantTypesEnum.CLIENT_CREDENTIALS)),
        new NewOidcClient().name("jwt without keys").tokenEndpointAuthMethod(TokenEndpointAuthMethodEnum.PRIVATE_KEY_JWT)
            .redirectUris(List.of("https://a.example/cb")),
        new NewOidcClient().name("two hosts").redirectUris(List.of("https://a.example/cb", "https://b.example/cb")),
        new NewOidcClient().name("refresh alone").redirectUris(List.of("https://a.example/cb"))
            .grantTypes(List.of(GrantTypesEnum.REFRESH_TOKEN)),
        new NewOidcClient().name("sign-in without openid").redirectUris(List.of("https://a.example/cb")).scopes(List.of("profile")),
        new NewOidcClient().name("bad scope").redirectUris(List.of("https://a.example/cb")).scopes(List.of("Open ID")))) {
      ApiException e = assertThrows(ApiException.class, () -> admin.registerOidcClient(Fixtures.SHIMADA, bad), bad.getName());
      assertEquals(400, e.getCode(), bad.getName());
    }
  }

  @Test
  void operatorsRotateSigningKeysAndTheNewKeysArePublishedAtOnce() throws Exception {
    assertEquals(403, assertThrows(ApiException.class, () -> admin.rotateSigningKeys()).getCode());
    Fixtures fixtures = new Fixtures(node);
    fixtures.operator("keys-op@tsunagu.example");
    List<String> added = new OpenidClientsApi(staff("keys-op@tsunagu.example")).rotateSigningKeys().getAdded();
    assertEquals(2, added.size());
    String jwks = new Browserless(node.baseUrl()).get("/oauth2/jwks").body();
    for (String kid : added) {
      assertTrue(jwks.contains(kid), "published before it signs");
    }
    // with the default prepublication time the new keys do not sign yet
    String signingKid = node.platform().services().oidc().keys().current().signing(com.nimbusds.jose.JWSAlgorithm.RS256,
        java.time.Instant.now()).orElseThrow().kid();
    assertTrue(added.stream().noneMatch(signingKid::equals));
  }
}

package jp.tsunagu.platform.oidc;

import static jp.tsunagu.platform.oidc.Rp.oauthError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import jp.tsunagu.api.client.OpenidClientsApi;
import jp.tsunagu.api.model.NewOidcClient;
import jp.tsunagu.api.model.NewOidcClient.GrantTypesEnum;
import jp.tsunagu.api.model.OidcClient;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What ends grants after they were made: a password change, the hourly purge (which keeps what
 * can still be used) and the removal of the service they were made for.
 */
class OidcGrantsIT {
  static TestPlatform node;
  static Fixtures fixtures;
  static OpenidClientsApi api;
  static Rp rp;
  static final String REDIRECT = "http://127.0.0.1:9/cb";

  @BeforeAll
  static void start() throws Exception {
    node = OidcTestNode.start(Map.of());
    fixtures = new Fixtures(node);
    api = new OpenidClientsApi(OidcTestNode.admin(node));
    rp = OidcTestNode.confidentialRp(node, REDIRECT);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static Rp register(NewOidcClient c) throws Exception {
    return OidcTestNode.register(node, api, c, REDIRECT);
  }

  @Test
  void aPasswordChangeEndsWhatEarlierSignInsGaveServices() throws Exception {
    Account citizen = fixtures.verifiedCitizen("stamp@example.jp");
    JsonObject t = rp.tokens(rp.standardQuery(null), citizen.email());
    assertEquals(200, rp.userinfo(t.getString("access_token")).statusCode());
    Fixtures.await(node.platform().services().accounts().changePassword(citizen.id(), Fixtures.PASSWORD, "a brand new passphrase 2026"));
    assertEquals(401, rp.userinfo(t.getString("access_token")).statusCode());
    oauthError(rp.token(Map.of("grant_type", "refresh_token", "refresh_token", t.getString("refresh_token")), true), 400, "invalid_grant");
  }

  @Test
  void thePurgeDeletesGrantsNothingCanUseAndKeepsTheRest() throws Exception {
    Account citizen = fixtures.verifiedCitizen("purge@example.jp");
    JsonObject live = rp.tokens(rp.standardQuery(null), citizen.email());
    io.vertx.sqlclient.Pool pool = node.platform().services().pool();
    // grants as time leaves them; the access-token lifetime is 300 s, the refresh lifetime 30 days
    String insert = "INSERT INTO oidc_grant (id, client_id, account_id, sid, scopes, auth_time, acr, created_at, revoked_at) "
        + "VALUES ($1, $2, $3, $6, '{openid}', now(), 'urn:tsunagu:acr:email-verified', now() - $4::text::interval, now() - $5::text::interval)";
    java.util.UUID revokedLongAgo = java.util.UUID.randomUUID();
    java.util.UUID revokedWithoutSession = java.util.UUID.randomUUID();
    java.util.UUID oldRevoked = java.util.UUID.randomUUID();
    java.util.UUID revokedJustNow = java.util.UUID.randomUUID();
    java.util.UUID oldWithoutTokens = java.util.UUID.randomUUID();
    java.util.UUID oldWithLiveToken = java.util.UUID.randomUUID();
    java.util.UUID youngWithoutTokens = java.util.UUID.randomUUID();
    Object[][] rows = {
        {revokedLongAgo, "1 day", "1 hour", "sid-purge"}, {revokedJustNow, "1 day", "10 seconds", "sid-purge"},
        {oldWithoutTokens, "31 days", null, "sid-purge"}, {oldWithLiveToken, "31 days", null, "sid-purge"},
        {youngWithoutTokens, "1 day", null, "sid-purge"}, {revokedWithoutSession, "1 day", "1 hour", null},
        {oldRevoked, "31 days", "1 hour", "sid-purge"}};
    for (Object[] r : rows) {
      Fixtures.await(pool.preparedQuery(insert).execute(io.vertx.sqlclient.Tuple.of(r[0], rp.clientId, citizen.id(), r[1], r[2], r[3])));
    }
    String token = "INSERT INTO oidc_refresh_token (token_hash, grant_id, expires_at) VALUES (sha256(convert_to($1::text, 'UTF8')), $2, "
        + "now() + interval '1 day')";
    Fixtures.await(pool.preparedQuery(token).execute(io.vertx.sqlclient.Tuple.of("purge-a", revokedLongAgo)));
    Fixtures.await(pool.preparedQuery(token).execute(io.vertx.sqlclient.Tuple.of("purge-b", oldWithLiveToken)));
    // grants whose family is in the row: the live token's expiry decides
    java.util.UUID oldWithLiveFamily = java.util.UUID.randomUUID();
    java.util.UUID oldWithExpiredFamily = java.util.UUID.randomUUID();
    String family = "INSERT INTO oidc_grant (id, client_id, account_id, sid, scopes, auth_time, acr, created_at, refresh_generation, "
        + "refresh_expires_at) VALUES ($1, $2, $3, 'sid-purge', '{openid}', now(), 'urn:tsunagu:acr:email-verified', now() - interval '40 days', 7, "
        + "now() + $4::text::interval)";
    Fixtures.await(pool.preparedQuery(family).execute(io.vertx.sqlclient.Tuple.of(oldWithLiveFamily, rp.clientId, citizen.id(), "1 day")));
    Fixtures.await(pool.preparedQuery(family).execute(io.vertx.sqlclient.Tuple.of(oldWithExpiredFamily, rp.clientId, citizen.id(), "-1 day")));

    int purged = Fixtures.await(node.platform().services().oidc().purgeExpired());

    java.util.Set<java.util.UUID> left = new java.util.HashSet<>();
    Fixtures.await(pool.preparedQuery("SELECT id FROM oidc_grant WHERE account_id = $1").execute(io.vertx.sqlclient.Tuple.of(citizen.id())))
        .forEach(r -> left.add(r.getUUID(0)));
    assertTrue(left.contains(revokedLongAgo), "revoked, but its session's logout must still reach the service");
    assertFalse(left.contains(revokedWithoutSession), "revoked before its last access token expired, no session");
    assertFalse(left.contains(oldRevoked), "revoked, and made a whole refresh lifetime ago");
    assertFalse(left.contains(oldWithoutTokens), "no refresh token left after a whole refresh lifetime");
    assertTrue(left.contains(revokedJustNow), "its access tokens may still be presented");
    assertTrue(left.contains(oldWithLiveToken), "a refresh token of it is still live");
    assertTrue(left.contains(youngWithoutTokens), "its sid may still matter for back-channel logout");
    assertTrue(left.contains(oldWithLiveFamily), "its live refresh token has not expired");
    assertFalse(left.contains(oldWithExpiredFamily), "its live refresh token expired, a whole refresh lifetime after it was made");
    assertEquals(10 - 4, left.size(), "the signed-in grant stays too: " + left);
    assertTrue(purged >= 4, "purged " + purged);
    assertEquals(1L, Fixtures.await(pool.preparedQuery("SELECT count(*) FROM oidc_refresh_token WHERE grant_id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(revokedLongAgo))).iterator().next().getLong(0), "its used refresh token stays with it");
    HttpResponse<String> refreshed = rp.token(Map.of("grant_type", "refresh_token", "refresh_token", live.getString("refresh_token")), true);
    assertEquals(200, refreshed.statusCode(), refreshed.body());
  }

  @Test
  void removingAServiceDeletesItsGrantsAndEndsItsTokens() throws Exception {
    Rp closing = register(new NewOidcClient().scopes(List.of("openid", "email"))
        .grantTypes(List.of(GrantTypesEnum.AUTHORIZATION_CODE, GrantTypesEnum.REFRESH_TOKEN)));
    JsonObject t = closing.tokens(closing.standardQuery(null), fixtures.verifiedCitizen("closing@example.jp").email());
    assertEquals(200, closing.userinfo(t.getString("access_token")).statusCode());
    io.vertx.sqlclient.Pool pool = node.platform().services().pool();
    String grants = "SELECT count(*) FROM oidc_grant WHERE client_id = $1";
    assertEquals(1L, Fixtures.await(pool.preparedQuery(grants).execute(io.vertx.sqlclient.Tuple.of(closing.clientId))).iterator().next().getLong(0));

    // a flow begun and not finished when the service goes
    assertEquals(200, new Browserless(node.baseUrl()).authorize(URI.create(closing.authorizeUrl(closing.standardQuery(null)))).statusCode());
    String flows = "SELECT count(*) FROM oidc_flow WHERE client_id = $1";
    assertEquals(2L, Fixtures.await(pool.preparedQuery(flows).execute(io.vertx.sqlclient.Tuple.of(closing.clientId))).iterator().next().getLong(0));

    api.deleteOidcClient(Fixtures.SHIMADA, closing.clientId);

    assertEquals(0L, Fixtures.await(pool.preparedQuery(flows).execute(io.vertx.sqlclient.Tuple.of(closing.clientId))).iterator().next().getLong(0),
        "its flows went with it");

    assertEquals(0L, Fixtures.await(pool.preparedQuery(grants).execute(io.vertx.sqlclient.Tuple.of(closing.clientId))).iterator().next().getLong(0));
    assertEquals(401, closing.userinfo(t.getString("access_token")).statusCode(), "an access token of a removed service is not live");
    assertEquals(200, rp.userinfo(rp.tokens(rp.standardQuery(null), "closing@example.jp").getString("access_token")).statusCode(),
        "the other services' grants stay");
  }
}

package jp.tsunagu.platform.oidc;

import static jp.tsunagu.platform.oidc.Rp.oauthError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Refresh tokens that name their family (grant and generation under the platform's MAC): a forged
 * one changes nothing, a replay of any earlier generation revokes the family, concurrent uses of one
 * token rotate it once, introspection and revocation go by generation, and a token of the earlier
 * format (a digest in {@code oidc_refresh_token}) rotates into its grant's family.
 */
class OidcRefreshFamilyIT {
  static TestPlatform node;
  static Fixtures fixtures;
  static Rp rp;
  static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    node = OidcTestNode.start(Map.of());
    fixtures = new Fixtures(node);
    rp = OidcTestNode.confidentialRp(node, "http://127.0.0.1:9/cb");
    pool = node.platform().services().pool();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JsonObject signIn(String name) throws Exception {
    Account citizen = fixtures.verifiedCitizen(name + "-" + System.nanoTime() + "@example.jp");
    return rp.tokens(rp.standardQuery(null), citizen.email());
  }

  private static HttpResponse<String> refresh(String token) throws Exception {
    return rp.token(Map.of("grant_type", "refresh_token", "refresh_token", token), true);
  }

  private static String refreshed(String token) throws Exception {
    HttpResponse<String> r = refresh(token);
    assertEquals(200, r.statusCode(), r.body());
    String next = new JsonObject(r.body()).getString("refresh_token");
    assertEquals(RefreshTokens.LENGTH, next.length());
    return next;
  }

  private static UUID grantOf(String refreshToken) throws Exception {
    RefreshTokens tokens = new RefreshTokens(Fixtures.await(jp.tsunagu.platform.consentlink.PlatformSecrets.of(pool,
        node.platform().services().config()).getOrCreate(Oidc.REFRESH_TOKEN_SECRET, () -> new byte[32]))); // made at start, never this
    return tokens.read(refreshToken).orElseThrow().grantId();
  }

  @Test
  void aForgedTokenIsRefusedAndLeavesTheFamilyAlone() throws Exception {
    String token = signIn("forged").getString("refresh_token");
    // the same grant and generation under another secret, and the real token with one character of its MAC changed
    String otherSecret = new RefreshTokens(new byte[32]).issue(grantOf(token), 0);
    char c = token.charAt(40);
    String changed = token.substring(0, 40) + (c == 'A' ? 'B' : 'A') + token.substring(41);
    for (String forged : List.of(otherSecret, changed, new RefreshTokens(new byte[32]).issue(grantOf(token), 1))) {
      oauthError(refresh(forged), 400, "invalid_grant");
      assertFalse(rp.introspect(forged).getBoolean("active"));
      assertEquals(200, rp.post("/oauth2/revoke", "application/x-www-form-urlencoded", "token=" + Browserless.enc(forged),
          Rp.basic(rp.clientId, rp.secret)).statusCode(), "revoking an unknown token succeeds (RFC 7009 §2.2)");
    }
    assertTrue(rp.introspect(token).getBoolean("active"), "the family was not touched");
    refreshed(token);
  }

  @Test
  void aReplayOfAnyEarlierGenerationRevokesTheFamily() throws Exception {
    String t0 = signIn("replay").getString("refresh_token");
    String t1 = refreshed(t0);
    String t2 = refreshed(t1);
    assertFalse(rp.introspect(t0).getBoolean("active"));
    assertFalse(rp.introspect(t1).getBoolean("active"));
    assertTrue(rp.introspect(t2).getBoolean("active"));
    JsonObject error = oauthError(refresh(t0), 400, "invalid_grant");
    assertTrue(error.getString("error_description").contains("used already"), error.encode());
    oauthError(refresh(t2), 400, "invalid_grant");
    assertFalse(rp.introspect(t2).getBoolean("active"));
  }

  @Test
  void concurrentUsesOfOneTokenRotateItOnceAndRevokeTheFamily() throws Exception {
    String token = signIn("race").getString("refresh_token");
    int racers = 6;
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      answers.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
          return refresh(token);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    go.countDown();
    List<String> successors = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> a : answers) {
      HttpResponse<String> r = a.get();
      if (r.statusCode() == 200) {
        successors.add(new JsonObject(r.body()).getString("refresh_token"));
      } else {
        oauthError(r, 400, "invalid_grant");
      }
    }
    assertEquals(1, successors.size(), "one use rotates the token");
    oauthError(refresh(successors.get(0)), 400, "invalid_grant");
    assertEquals(Boolean.TRUE, Fixtures.await(pool.preparedQuery("SELECT revoked_at IS NOT NULL FROM oidc_grant WHERE id = $1")
        .execute(Tuple.of(grantOf(token)))).iterator().next().getBoolean(0), "the other uses were replays: the family is revoked");
  }

  @Test
  void revokingAnEarlierGenerationRevokesTheFamily() throws Exception {
    String t0 = signIn("revoke-old").getString("refresh_token");
    String t1 = refreshed(t0);
    assertEquals(200, rp.post("/oauth2/revoke", "application/x-www-form-urlencoded", "token=" + Browserless.enc(t0),
        Rp.basic(rp.clientId, rp.secret)).statusCode());
    assertFalse(rp.introspect(t1).getBoolean("active"));
    oauthError(refresh(t1), 400, "invalid_grant");
  }

  @Test
  void aTokenOfTheEarlierFormatRotatesIntoItsGrantsFamily() throws Exception {
    JsonObject signedIn = signIn("earlier");
    UUID grant = grantOf(signedIn.getString("refresh_token"));
    // the grant as it was before families: no generation, its live token a digest of a random value
    String earlier = jp.tsunagu.platform.security.Tokens.urlToken();
    Fixtures.await(pool.preparedQuery("UPDATE oidc_grant SET refresh_generation = NULL, refresh_expires_at = NULL WHERE id = $1")
        .execute(Tuple.of(grant)));
    Fixtures.await(pool.preparedQuery("INSERT INTO oidc_refresh_token (token_hash, grant_id, expires_at) "
        + "VALUES (sha256(convert_to($1, 'UTF8')), $2, now() + interval '1 day')").execute(Tuple.of(earlier, grant)));
    assertTrue(rp.introspect(earlier).getBoolean("active"));
    oauthError(refresh(signedIn.getString("refresh_token")), 400, "invalid_grant"); // no family yet: not valid, nothing revoked
    assertTrue(rp.introspect(earlier).getBoolean("active"));

    String first = refreshed(earlier);
    assertEquals(grant, grantOf(first));
    assertFalse(rp.introspect(earlier).getBoolean("active"));
    assertTrue(rp.introspect(first).getBoolean("active"));
    String second = refreshed(first);

    JsonObject error = oauthError(refresh(earlier), 400, "invalid_grant");
    assertTrue(error.getString("error_description").contains("used already"), error.encode());
    oauthError(refresh(second), 400, "invalid_grant");
  }

  @Test
  void aRotationWritesTheGrantsRowInPlace() throws Exception {
    String token = signIn("in-place").getString("refresh_token");
    UUID grant = grantOf(token);
    String tokens = "SELECT count(*) FROM oidc_refresh_token WHERE grant_id = $1";
    refreshed(refreshed(token));
    assertEquals(0L, Fixtures.await(pool.preparedQuery(tokens).execute(Tuple.of(grant))).iterator().next().getLong(0),
        "no token row: the family is the grant");
    assertEquals(2, Fixtures.await(pool.preparedQuery("SELECT refresh_generation FROM oidc_grant WHERE id = $1").execute(Tuple.of(grant)))
        .iterator().next().getInteger(0));
  }
}

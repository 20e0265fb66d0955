package jp.tsunagu.platform.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.api.client.OpenidClientsApi;
import jp.tsunagu.api.model.NewOidcClient;
import jp.tsunagu.api.model.NewOidcClient.GrantTypesEnum;
import jp.tsunagu.api.model.NewOidcClient.IdTokenSignedResponseAlgEnum;
import jp.tsunagu.api.model.NewOidcClient.TokenEndpointAuthMethodEnum;
import jp.tsunagu.api.model.OidcClient;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provider against a relying-party library the project did not write: panva's openid-client 6
 * (OpenID-certified) with oauth4webapi and jose, on Node.js, driven by
 * {@code src/test/interop/openid-client/check.mjs}. The script uses the libraries as their
 * documentation shows and knows nothing of the provider but its issuer, the registered clients
 * and a citizen's password; its checks are listed below so that one it silently dropped fails
 * here too. Its packages come from the npm registry at the versions its lock file pins.
 */
class OpenidClientInteropIT {
  static final Path SOURCE = Path.of("src/test/interop/openid-client");
  static final Path WORK = Path.of("target/interop/openid-client");
  static final String REDIRECT = "http://127.0.0.1:9/callback";
  static final String LOGGED_OUT = "http://127.0.0.1:9/logged-out";
  static final List<String> CHECKS = List.of(
      "discovery",
      "code flow with client_secret_basic",
      "ID token signature RS256 against the JWKS",
      "userinfo",
      "userinfo refuses a tampered access token",
      "access token is an RFC 9068 JWT (oauth4webapi resource-server validation)",
      "refresh rotates, and reuse revokes the family",
      "introspection and revocation",
      "wrong client secret is invalid_client",
      "prompt=none without a session answers login_required",
      "RP-initiated logout",
      "private_key_jwt client with ES256 ID tokens",
      "pushed authorization request (RFC 9126) with client_secret_basic",
      "pushed authorization request with private_key_jwt",
      "public client with PKCE, and refused without it",
      "DPoP-bound tokens (RFC 9449) for a public client",
      "client_secret_post client, as openid-client authenticates by default",
      "client credentials grant");

  static TestPlatform node;
  static BackchannelReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    installPackages();
    node = OidcTestNode.start(Map.of());
    receiver = new BackchannelReceiver(0);
  }

  @AfterAll
  static void stop() {
    if (receiver != null) {
      receiver.close();
    }
    if (node != null) {
      node.close();
    }
  }

  /** {@code npm ci} into target/, from the committed package.json and lock file. */
  static void installPackages() throws Exception {
    Files.createDirectories(WORK);
    for (String f : List.of("package.json", "package-lock.json", "check.mjs")) {
      Files.copy(SOURCE.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    Run version = run(List.of("node", "--version"), Map.of(), 30);
    int major = Integer.parseInt(version.out().strip().replaceFirst("^v(\\d+).*", "$1"));
    assertTrue(major >= 20, "openid-client 6 needs Node.js 20 or newer, found " + version.out());
    Run install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
    assertEquals(0, install.exit(), "npm ci: " + install.out());
  }

  record Run(int exit, String out) {}

  static Run run(List<String> command, Map<String, String> env, int seconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return fail("this test needs Node.js 20+ and npm on the PATH (Debian: apt-get install nodejs npm): " + e.getMessage());
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(command + " did not finish in " + seconds + " s: " + new String(out, StandardCharsets.UTF_8));
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  @Test
  void openidClientCompletesEveryFlowAgainstTheProvider() throws Exception {
    String email = new Fixtures(node).verifiedCitizen("interop-" + System.nanoTime() + "@example.jp").email();
    OpenidClientsApi api = new OpenidClientsApi(OidcTestNode.admin(node));
    List<String> citizenScopes = List.of("openid", "profile", "email");
    List<GrantTypesEnum> codeAndRefresh = List.of(GrantTypesEnum.AUTHORIZATION_CODE, GrantTypesEnum.REFRESH_TOKEN);

    OidcClient basic = api.registerOidcClient(Fixtures.SHIMADA, new NewOidcClient().name("図書館").redirectUris(List.of(REDIRECT))
        .postLogoutRedirectUris(List.of(LOGGED_OUT)).backchannelLogoutUri(receiver.uri()).scopes(citizenScopes)
        .grantTypes(codeAndRefresh));
    OidcClient post = api.registerOidcClient(Fixtures.SHIMADA, new NewOidcClient().name("学校連絡")
        .tokenEndpointAuthMethod(TokenEndpointAuthMethodEnum.CLIENT_SECRET_POST).redirectUris(List.of(REDIRECT))
        .scopes(citizenScopes).grantTypes(codeAndRefresh));
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("interop-1").generate();
    OidcClient keyJwt = api.registerOidcClient(Fixtures.SHIMADA, new NewOidcClient().name("親子手帳")
        .tokenEndpointAuthMethod(TokenEndpointAuthMethodEnum.PRIVATE_KEY_JWT).redirectUris(List.of(REDIRECT))
        .sectorIdentifier("handbook.example").idTokenSignedResponseAlg(IdTokenSignedResponseAlgEnum.ES256)
        .jwks(new JWKSet(key.toPublicJWK()).toJSONObject()).scopes(citizenScopes).grantTypes(codeAndRefresh));
    OidcClient pub = api.registerOidcClient(Fixtures.SHIMADA, new NewOidcClient().name("回覧板アプリ")
        .tokenEndpointAuthMethod(TokenEndpointAuthMethodEnum.NONE).redirectUris(List.of(REDIRECT)).scopes(List.of("openid"))
        .grantTypes(codeAndRefresh));
    OidcClient service = api.registerOidcClient(Fixtures.SHIMADA, new NewOidcClient().name("CMS").redirectUris(List.of())
        .grantTypes(List.of(GrantTypesEnum.CLIENT_CREDENTIALS)).scopes(List.of("content:write")));

    JsonObject cfg = new JsonObject()
        .put("issuer", node.baseUrl()).put("redirectUri", REDIRECT).put("postLogoutRedirectUri", LOGGED_OUT)
        .put("email", email).put("password", Fixtures.PASSWORD)
        .put("basic", new JsonObject().put("id", basic.getClientId()).put("secret", basic.getClientSecret()))
        .put("post", new JsonObject().put("id", post.getClientId()).put("secret", post.getClientSecret()))
        .put("keyJwt", new JsonObject().put("id", keyJwt.getClientId()).put("privateJwk", new JsonObject(key.toJSONObject())))
        .put("public", new JsonObject().put("id", pub.getClientId()))
        .put("service", new JsonObject().put("id", service.getClientId()).put("secret", service.getClientSecret())
            .put("scope", "content:write"));

    Run check = run(List.of("node", "check.mjs"), Map.of("TSUNAGU_INTEROP", cfg.encode()), 120);
    List<String> passed = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    JsonObject result = null;
    for (String line : check.out().lines().toList()) {
      if (line.startsWith("ok ")) {
        passed.add(line.substring(3));
      } else if (line.startsWith("FAIL ")) {
        failed.add(line.substring(5));
      } else if (line.startsWith("RESULT ")) {
        result = new JsonObject(line.substring(7));
      }
    }
    assertEquals(List.of(), failed, check.out());
    assertEquals(CHECKS, passed, check.out());
    assertEquals(0, check.exit(), check.out());
    assertTrue(result != null, check.out());

    // the session openid-client ended by RP-initiated logout was announced to the client's back channel
    String sid = result.getJsonArray("sids").getString(0);
    String logoutToken = receiver.nextFor(sid, 30);
    assertEquals(basic.getClientId(), SignedJWT.parse(logoutToken).getJWTClaimsSet().getAudience().get(0));
  }
}

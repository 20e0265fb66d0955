package jp.tsunagu.platform.consentlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.api.client.CitizenApi;
import jp.tsunagu.api.client.ConsentApi;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.api.model.SignInRequest;
import jp.tsunagu.consent.declaration.DeclaredItem;
import jp.tsunagu.consent.declaration.DeclaredPurpose;
import jp.tsunagu.consent.declaration.LocalizedText;
import jp.tsunagu.consent.declaration.ServiceDeclaration;
import jp.tsunagu.consent.ledger.Actor;
import jp.tsunagu.consent.ledger.Channel;
import jp.tsunagu.consent.ledger.ConsentRequest;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Withdrawal reaches the service: the platform delivers a signed Security Event Token (RFC 8417)
 * by HTTP POST (RFC 8935 push delivery) to the service's registered receiver. The receiver here is
 * a local HTTP server that speaks that protocol (answers 202) and keeps what it received; a
 * library's real receiver cannot run in the tests.
 */
class SecurityEventDeliveryIT {
  static TestPlatform node;
  static Vertx receiverVertx;
  static HttpServer receiver;
  static final CompletableFuture<String> RECEIVED = new CompletableFuture<>();
  static final CompletableFuture<String> CONTENT_TYPE = new CompletableFuture<>();

  @BeforeAll
  static void start() throws Exception {
    node = TestPlatform.start();
    receiverVertx = Vertx.vertx();
    receiver = receiverVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      CONTENT_TYPE.complete(req.getHeader("Content-Type"));
      RECEIVED.complete(body.toString(StandardCharsets.US_ASCII));
      req.response().setStatusCode(202).end();
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    receiverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void withdrawalSendsASignedSecurityEventTokenToTheService() throws Exception {
    Fixtures fixtures = new Fixtures(node);
    Account citizen = fixtures.verifiedCitizen("library-user@example.jp");
    var consent = node.platform().services().consent();
    URI endpoint = URI.create("http://127.0.0.1:" + receiver.actualPort() + "/set");
    Fixtures.await(consent.declarations().publish(new ServiceDeclaration("222097", "library", 1,
        new LocalizedText("図書館に貸出カード番号をお知らせします。", "Your card number is shared with the library."),
        List.of(new DeclaredItem("library_card", true, new LocalizedText("貸出カード番号", "Card number"))),
        List.of(new DeclaredPurpose("lending", new LocalizedText("貸出", "Lending"))),
        "library-client", Optional.of(endpoint), Instant.now())));
    Fixtures.await(consent.consents().give(new ConsentRequest("222097", citizen.id().toString(), "library", 1,
        Set.of("library_card"), Set.of("lending"), Actor.citizen(citizen.id().toString(), Channel.WEB), Optional.empty())));

    ApiClient client = node.client();
    new CitizenApi(client).signIn(new SignInRequest().email("library-user@example.jp").password(Fixtures.PASSWORD));
    ConsentApi api = new ConsentApi(client);
    api.withdrawConsent(api.listMyConsents().getItems().get(0).getId());

    String jws = RECEIVED.get(30, TimeUnit.SECONDS);
    assertEquals("application/secevent+jwt", CONTENT_TYPE.get());
    SignedJWT set = SignedJWT.parse(jws);
    assertEquals("secevent+jwt", set.getHeader().getType().getType());
    assertTrue(verifiesWithPlatformKey(set), "signed with the platform's consent key");
    assertEquals(List.of("library-client"), set.getJWTClaimsSet().getAudience());
    @SuppressWarnings("unchecked")
    Map<String, Object> events = (Map<String, Object>) set.getJWTClaimsSet().getClaim("events");
    assertTrue(events.containsKey("https://schemas.tsunagu.jp/secevent/consent/withdrawn"), events.toString());
  }

  private static boolean verifiesWithPlatformKey(SignedJWT set) throws Exception {
    var row = Fixtures.await(node.platform().services().pool()
        .query("SELECT value FROM platform_secret WHERE name = 'consent.signing-key'").execute()).iterator().next();
    ECKey key = ECKey.parse(new String(row.getBuffer(0).getBytes(), StandardCharsets.UTF_8));
    return set.verify(new ECDSAVerifier(key.toECPublicKey()));
  }
}

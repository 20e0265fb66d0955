package jp.tsunagu.platform.consentlink;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.consent.decision.DecisionCacheConsumer;
import jp.tsunagu.consent.decision.EventBusDecisionCacheInvalidator;
import jp.tsunagu.consent.decision.GateOptions;
import jp.tsunagu.consent.jose.JwsIssuer;
import jp.tsunagu.consent.jose.StaticSigningKeySource;
import jp.tsunagu.consent.withdrawal.ServiceSubjectResolver;
import jp.tsunagu.consent.withdrawal.ServiceTokenRevoker;

/**
 * Builds this node's consent module: receipts and Security Event Tokens signed with the platform's
 * consent key (P-256, kept in PostgreSQL, sealed when a key-encryption key is configured), decision-cache invalidation over the clustered event
 * bus to every member (a withdrawal returns only when every member has dropped its cached
 * decisions), and this member's gate registered for invalidations before it answers anything.
 */
public final class ConsentWiring {
  private static final String SIGNING_KEY = "consent.signing-key";

  private ConsentWiring() {}

  /**
   * @param revoker revokes a service's tokens for a citizen on withdrawal
   * @param subjects the identifier under which a service knows a citizen
   */
  public static Future<ConsentModule> start(Vertx vertx, Pool pool, PlatformSecrets secrets, String issuer,
                                            ServiceTokenRevoker revoker, ServiceSubjectResolver subjects) {
    var clusterManager = ((VertxInternal) vertx).clusterManager();
    return secrets.getOrCreate(SIGNING_KEY, ConsentWiring::newKey)
        .map(bytes -> {
          try {
            return JWK.parse(new String(bytes, StandardCharsets.UTF_8));
          } catch (java.text.ParseException e) {
            throw new IllegalStateException("stored consent signing key is not a JWK", e);
          }
        })
        .compose(key -> {
          JwsIssuer jws = new JwsIssuer(new StaticSigningKeySource(key, List.of()), issuer);
          var invalidator = new EventBusDecisionCacheInvalidator(vertx, clusterManager::getNodes, Duration.ofSeconds(5));
          ConsentModule module = new ConsentModule(pool, Clock.systemUTC(), jws, invalidator, revoker, subjects,
              GateOptions.defaults());
          return DecisionCacheConsumer.register(vertx, clusterManager.getNodeId(), module.gate()).map(module);
        });
  }

  private static byte[] newKey() {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
          .generate().toJSONString().getBytes(StandardCharsets.UTF_8);
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}

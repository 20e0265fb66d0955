package jp.tsunagu.consent.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.consent.decision.DecisionCacheInvalidator;
import jp.tsunagu.consent.decision.GateOptions;
import jp.tsunagu.consent.decision.InProcessDecisionCacheInvalidator;
import jp.tsunagu.consent.jose.JwsIssuer;
import jp.tsunagu.consent.jose.StaticSigningKeySource;

/** A Vert.x instance, a test database and the consent module wired over them. */
public final class ConsentHarness implements AutoCloseable {
  public static final String ISSUER = "https://id.tsunagu.example.jp";

  public final Vertx vertx;
  public final TestDatabase db;
  public final StaticSigningKeySource keys;
  public final JwsIssuer issuer;
  /** Token revocations requested, as "tenant/service/citizen". */
  public final List<String> revocations = new CopyOnWriteArrayList<>();
  /** When set, token revocation fails with this. */
  public final AtomicReference<RuntimeException> revocationFailure = new AtomicReference<>();

  public ConsentHarness(int poolSize) {
    this.vertx = Vertx.vertx();
    this.db = TestDatabase.create(vertx, poolSize);
    this.keys = StaticSigningKeySource.generateEc();
    this.issuer = new JwsIssuer(keys, ISSUER);
  }

  /** A module with its own gate registered on {@code invalidator}. */
  public ConsentModule module(InProcessDecisionCacheInvalidator invalidator, Clock clock) {
    ConsentModule module = module((DecisionCacheInvalidator) invalidator, clock);
    invalidator.register(module.gate());
    return module;
  }

  /** A module whose gate the caller registers. */
  public ConsentModule module(DecisionCacheInvalidator invalidator, Clock clock) {
    return new ConsentModule(db.pool(), clock, issuer, invalidator,
        (tenant, service, citizen) -> {
          RuntimeException failure = revocationFailure.get();
          if (failure != null) {
            return Future.failedFuture(failure);
          }
          revocations.add(tenant + "/" + service + "/" + citizen);
          return Future.succeededFuture();
        },
        (tenant, service, citizen) -> Future.succeededFuture("pairwise-" + service + "-" + citizen),
        GateOptions.defaults());
  }

  public void reset() {
    db.reset();
    revocations.clear();
    revocationFailure.set(null);
  }

  @Override
  public void close() {
    db.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}

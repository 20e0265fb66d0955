package jp.tsunagu.platform.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's signing keys on this node: RS256 (every client) and ES256 (clients that ask).
 * All nodes read the same rows from PostgreSQL; the node that stores a key tells the others over
 * the clustered event bus, and every node also re-reads on its rotation tick. A new key is stored
 * {@code prepublish} ahead of its activation, so relying parties see it in the JWKS before any
 * token carries it; a retired key stays published until the longest token lifetime has passed.
 * Key generation runs on the {@code tsunagu-keys} worker pool.
 */
public final class SigningKeys {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
  static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

  private final Vertx vertx;
  private final SigningKeyRepository repository;
  private final WorkerExecutor workers;
  private final Clock clock;
  private final Duration rotationAge;
  private final Duration prepublish;
  private final Duration longestLifetime;
  private final SignatureProvider signatures;
  private final Map<String, CompactSigner> signers = new ConcurrentHashMap<>();
  private volatile KeySet keys = new KeySet(List.of());
  private final java.util.concurrent.atomic.AtomicLong lastRefresh = new java.util.concurrent.atomic.AtomicLong();

  SigningKeys(Vertx vertx, SigningKeyRepository repository, WorkerExecutor workers, Clock clock, Duration rotationAge,
              Duration prepublish, Duration longestLifetime, SignatureProvider signatures) {
    this.vertx = vertx;
    this.repository = repository;
    this.workers = workers;
    this.clock = clock;
    this.rotationAge = rotationAge;
    this.prepublish = prepublish;
    this.longestLifetime = longestLifetime;
    this.signatures = signatures;
  }

  /** Loads the key set and makes sure each algorithm has a signing key (the first node creates them). */
  Future<Void> start() {
    vertx.eventBus().<String>consumer(OidcAddresses.KEYS_CHANGED, msg -> reload()
        .onFailure(err -> LOG.warn("reloading signing keys failed: {}", err.getMessage())));
    return reload().compose(v -> tick());
  }

  /** The scheduled step: re-read, add keys that are due, drop keys nothing can depend on. */
  Future<Void> tick() {
    Future<Void> chain = reload();
    for (JWSAlgorithm alg : ALGORITHMS) {
      chain = chain.compose(v -> {
        Instant now = clock.instant();
        if (!keys.hasSigningKey(alg, now)) {
          return add(alg, Duration.ZERO, set -> !set.hasSigningKey(alg, clock.instant()));
        }
        if (keys.needsRotation(alg, now, rotationAge)) {
          return add(alg, prepublish, set -> set.needsRotation(alg, clock.instant(), rotationAge));
        }
        return Future.succeededFuture();
      });
    }
    return chain.compose(v -> repository.delete(keys.expired(clock.instant(), longestLifetime).stream().map(KeySet.Key::kid).toList()))
        .compose(deleted -> deleted > 0 ? reload() : Future.succeededFuture());
  }

  /** Rotation on demand: a new key for every algorithm, published now, signing after the prepublication time. */
  public Future<List<String>> rotate() {
    List<String> added = new java.util.concurrent.CopyOnWriteArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (JWSAlgorithm alg : ALGORITHMS) {
      Instant asked = clock.instant();
      chain = chain.compose(v -> generate(alg, prepublish))
          .compose(key -> repository.insertIfStillNeeded(key, set -> set.keys().stream()
                  .noneMatch(k -> k.alg().equals(alg) && k.createdAt().isAfter(asked)))
              .compose(stored -> stored ? announce(key.kid()).onSuccess(x -> added.add(key.kid())) : Future.succeededFuture()));
    }
    return chain.map(v -> List.copyOf(added));
  }

  /** Signs claims with the client's algorithm (RS256 unless it asked for ES256) under the given JOSE type. */
  public String sign(JWSAlgorithm alg, JOSEObjectType type, JWTClaimsSet claims) {
    return signer(alg).sign(type, claims);
  }

  /** Signs claims written by {@link Claims}. */
  String sign(JWSAlgorithm alg, JOSEObjectType type, Claims claims) {
    return signer(alg).sign(type, claims.json());
  }

  private CompactSigner signer(JWSAlgorithm alg) {
    KeySet.Key key = keys.signing(alg, clock.instant())
        .orElseThrow(() -> new IllegalStateException("no signing key for " + alg + " yet"));
    return signers.computeIfAbsent(key.kid(), kid -> signer(key));
  }

  /**
   * Re-reads the key set when a token names a key this node does not know, at most once a second
   * (so forged key ids cannot make every request read the database).
   */
  public Future<Void> refresh() {
    long now = clock.millis();
    long last = lastRefresh.get();
    if (now - last < 1000 || !lastRefresh.compareAndSet(last, now)) {
      return Future.succeededFuture();
    }
    return reload();
  }

  /** The current key set (for verification of our own tokens). */
  public KeySet current() {
    return keys;
  }

  /** The JWKS document. */
  public String jwksJson() {
    return keys.publicSet(clock.instant(), longestLifetime).toString(true);
  }

  private Future<Void> reload() {
    return repository.load().map(set -> {
      keys = set;
      signers.keySet().retainAll(set.keys().stream().map(KeySet.Key::kid).toList());
      return null;
    });
  }

  private Future<Void> add(JWSAlgorithm alg, Duration delay, java.util.function.Predicate<KeySet> stillNeeded) {
    return generate(alg, delay)
        .compose(key -> repository.insertIfStillNeeded(key, stillNeeded)
            .compose(stored -> stored ? announce(key.kid()) : reload()));
  }

  private Future<Void> announce(String kid) {
    LOG.info("new signing key {} stored", kid);
    return reload().onSuccess(v -> vertx.eventBus().publish(OidcAddresses.KEYS_CHANGED, kid));
  }

  private Future<KeySet.Key> generate(JWSAlgorithm alg, Duration delay) {
    return workers.executeBlocking(() -> {
      Instant now = clock.instant();
      String kid = alg.getName().toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID();
      JWK jwk = JWSAlgorithm.RS256.equals(alg)
          ? new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(alg).generate()
          : new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(alg).generate();
      return new KeySet.Key(kid, alg, jwk, now, now.plus(delay));
    }, false);
  }

  /** Where this node's signatures and verifications of its own tokens are computed. */
  SignatureProvider signatures() {
    return signatures;
  }

  private CompactSigner signer(KeySet.Key key) {
    try {
      return signatures.compactSigner(key);
    } catch (JOSEException e) {
      throw new IllegalStateException("unusable signing key " + key.kid(), e);
    }
  }
}

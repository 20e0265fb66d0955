package jp.tsunagu.platform.oidc;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.platform.account.AccountService;
import jp.tsunagu.platform.config.TsunaguConfig;
import jp.tsunagu.platform.consentlink.PlatformSecrets;
import jp.tsunagu.platform.ratelimit.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wiring of the OpenID provider on one node: repositories, services, the signing keys with their
 * rotation timer, the back-channel logout deliverer and the purge of what has expired. No logic.
 */
public final class Oidc {
  private static final Logger LOG = LoggerFactory.getLogger(Oidc.class);
  public static final String AUTHORIZATION_PATH = "/oauth2/authorize";
  public static final String TOKEN_PATH = "/oauth2/token";
  public static final String USERINFO_PATH = "/oauth2/userinfo";
  public static final String JWKS_PATH = "/oauth2/jwks";
  public static final String REVOCATION_PATH = "/oauth2/revoke";
  public static final String INTROSPECTION_PATH = "/oauth2/introspect";
  public static final String LOGOUT_PATH = "/oauth2/logout";
  public static final String PAR_PATH = "/oauth2/par";
  static final String PAIRWISE_SECRET = "oidc.pairwise";
  /** The platform secret under which refresh tokens name their family ({@link RefreshTokens}). */
  public static final String REFRESH_TOKEN_SECRET = "oidc.refresh";

  private final Vertx vertx;
  private final String issuer;
  private final SigningKeys keys;
  private final ClientService clients;
  private final AuthorizationService authorization;
  private final TokenService tokens;
  private final TokenVerifier verifier;
  private final UserinfoService userinfo;
  private final TokenAdmin admin;
  private final ClientAuthenticator authenticator;
  private final BackchannelLogout logout;
  private final FlowRepository flows;
  private final GrantRepository grants;
  private final WorkerExecutor keyWorkers;
  private final Clock clock;
  private final DpopProofs dpop;
  private long keyTimer = -1;
  private long logoutTimer = -1;
  private long purgeTimer = -1;
  private final Duration accessLifetime;
  private final Duration refreshLifetime;

  private final Subjects subjects;
  private final ServiceConsent consent;

  private Oidc(Vertx vertx, Pool pool, TsunaguConfig config, RateLimiter limiter, AccountService accounts, ServiceConsent consent,
               byte[] pairwise, byte[] refreshSecret) {
    this.consent = consent;
    this.vertx = vertx;
    this.issuer = config.publicUrl();
    this.clock = Clock.systemUTC();
    Duration access = Duration.ofSeconds(config.get(TsunaguConfig.OIDC_ACCESS_TOKEN_SECONDS));
    Duration id = Duration.ofSeconds(config.get(TsunaguConfig.OIDC_ID_TOKEN_SECONDS));
    Duration longest = (access.compareTo(id) > 0 ? access : id).plusMinutes(5);
    this.accessLifetime = access;
    this.refreshLifetime = Duration.ofDays(config.get(TsunaguConfig.OIDC_REFRESH_TOKEN_DAYS));
    this.keyWorkers = vertx.createSharedWorkerExecutor("tsunagu-keys", 1, 60, TimeUnit.SECONDS);
    this.keys = new SigningKeys(vertx, new SigningKeyRepository(pool, new KeySealer(config.get(TsunaguConfig.KEY_ENCRYPTION_KEY))),
        keyWorkers, clock, Duration.ofDays(config.get(TsunaguConfig.OIDC_KEY_ROTATION_DAYS)),
        Duration.ofSeconds(config.get(TsunaguConfig.OIDC_KEY_PREPUBLISH_SECONDS)), longest,
        SignatureProvider.choose(config.get(TsunaguConfig.OIDC_NATIVE_SIGNATURES)));
    this.flows = new FlowRepository(pool);
    this.grants = new GrantRepository(pool);
    this.clients = new ClientService(vertx, pool, new ClientRepository(pool), consent);
    this.subjects = new Subjects(pairwise);
    RefreshTokens refreshTokens = new RefreshTokens(refreshSecret);
    this.authorization = new AuthorizationService(clients, flows, grants, consent, subjects, issuer, clock,
        Duration.ofMinutes(config.get(TsunaguConfig.OIDC_FLOW_MINUTES)), Duration.ofSeconds(config.get(TsunaguConfig.OIDC_CODE_SECONDS)),
        Duration.ofSeconds(config.get(TsunaguConfig.OIDC_PAR_SECONDS)), config.get(TsunaguConfig.OIDC_REQUIRE_PAR));
    this.tokens = new TokenService(pool, grants, keys, subjects, issuer, clock, access, id,
        refreshLifetime, config.get(TsunaguConfig.OIDC_ID_TOKEN_ON_REFRESH), consent, refreshTokens);
    this.dpop = new DpopProofs(grants, clock, keys.signatures());
    this.verifier = new TokenVerifier(keys, grants, issuer, clock, dpop);
    this.userinfo = new UserinfoService(grants, accounts, clients, consent);
    this.admin = new TokenAdmin(pool, verifier, grants, subjects, clock, refreshTokens);
    this.authenticator = new ClientAuthenticator(clients, grants, limiter, config.get(TsunaguConfig.OIDC_CLIENT_AUTH_FAILURES_PER_15_MIN),
        issuer, clock);
    this.logout = new BackchannelLogout(pool, grants, clients, keys, subjects, WebClient.create(vertx), issuer, clock);
  }

  /** Builds the provider and waits until it has signing keys (the first node of a deployment creates them). */
  public static Future<Oidc> start(Vertx vertx, Pool pool, TsunaguConfig config, RateLimiter limiter, AccountService accounts,
                                   ServiceConsent consent) {
    PlatformSecrets secrets = PlatformSecrets.of(pool, config);
    return secrets.getOrCreate(PAIRWISE_SECRET, Oidc::newSecret)
        .compose(pairwise -> secrets.getOrCreate(REFRESH_TOKEN_SECRET, Oidc::newSecret)
            .map(refresh -> new Oidc(vertx, pool, config, limiter, accounts, consent, pairwise, refresh)))
        .compose(oidc -> oidc.keys.start().map(oidc))
        .onSuccess(Oidc::schedule);
  }

  private static byte[] newSecret() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private void schedule() {
    keyTimer = vertx.setPeriodic(TimeUnit.MINUTES.toMillis(1), t -> keys.tick()
        .onFailure(err -> LOG.warn("signing key rotation step failed: {}", err.getMessage())));
    logoutTimer = vertx.setPeriodic(2000, t -> logout.deliverDue()
        .onFailure(err -> LOG.warn("back-channel logout round failed: {}", err.getMessage())));
    purgeTimer = vertx.setPeriodic(TimeUnit.HOURS.toMillis(1), t -> purgeExpired()
        .onFailure(err -> LOG.warn("purging expired authorization data failed: {}", err.getMessage())));
  }

  /**
   * Deletes what has expired: flows a day past their end, refresh tokens and revoked-token ids past
   * theirs, and grants nothing can use any more. Runs hourly on every node (each statement is
   * idempotent); answers how many grants went.
   */
  public Future<Integer> purgeExpired() {
    return flows.purge(clock.instant().minus(Duration.ofDays(1)))
        .compose(n -> grants.purge(clock.instant(), accessLifetime, refreshLifetime))
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("purged {} grants that nothing can use any more", n);
          }
        });
  }

  /** Mounts the JSON endpoints (the interactive ones are pages, see {@code web/AuthorizePages}). */
  public void mount(Router router) {
    OidcHandlers h = new OidcHandlers(this);
    // Browser-based relying parties call these cross-origin; they take no cookies, so any origin may.
    for (String path : new String[] {"/.well-known/openid-configuration", JWKS_PATH, TOKEN_PATH, USERINFO_PATH, REVOCATION_PATH, PAR_PATH}) {
      router.route(path).handler(OidcHandlers::cors);
    }
    router.get("/.well-known/openid-configuration").handler(h::discovery).failureHandler(OAuthErrors::handle);
    router.get(JWKS_PATH).handler(h::jwks).failureHandler(OAuthErrors::handle);
    router.post(TOKEN_PATH).handler(h::token).failureHandler(OAuthErrors::handle);
    router.get(USERINFO_PATH).handler(h::userinfo).failureHandler(OAuthErrors::handle);
    router.post(USERINFO_PATH).handler(h::userinfo).failureHandler(OAuthErrors::handle);
    router.post(REVOCATION_PATH).handler(h::revoke).failureHandler(OAuthErrors::handle);
    router.post(INTROSPECTION_PATH).handler(h::introspect).failureHandler(OAuthErrors::handle);
    router.post(PAR_PATH).handler(h::pushAuthorization).failureHandler(OAuthErrors::handle);
    // another method on an endpoint: 405 with the methods it answers (RFC 9110 §15.5.6), in the OAuth error format
    java.util.Map<String, String> allowed = new java.util.LinkedHashMap<>();
    allowed.put("/.well-known/openid-configuration", "GET, HEAD");
    allowed.put(JWKS_PATH, "GET, HEAD");
    allowed.put(USERINFO_PATH, "GET, HEAD, POST");
    for (String path : new String[] {TOKEN_PATH, REVOCATION_PATH, INTROSPECTION_PATH, PAR_PATH}) {
      allowed.put(path, "POST");
    }
    allowed.forEach((path, methods) -> router.route(path).handler(ctx -> {
      ctx.response().putHeader("Allow", methods);
      ctx.fail(OAuthError.methodNotAllowed(ctx.request().method() + " is not answered at " + path + "; use " + methods));
    }).failureHandler(OAuthErrors::handle));
    router.route("/oauth2/*").last().handler(ctx -> ctx.fail(404)).failureHandler(OAuthErrors::handle);
  }

  public void stop() {
    for (long t : new long[] {keyTimer, logoutTimer, purgeTimer}) {
      if (t >= 0) {
        vertx.cancelTimer(t);
      }
    }
    keyWorkers.close();
  }

  DpopProofs dpop() {
    return dpop;
  }

  public String issuer() {
    return issuer;
  }

  public SigningKeys keys() {
    return keys;
  }

  public ClientService clients() {
    return clients;
  }

  public AuthorizationService authorization() {
    return authorization;
  }

  public TokenService tokens() {
    return tokens;
  }

  public TokenVerifier verifier() {
    return verifier;
  }

  public UserinfoService userinfo() {
    return userinfo;
  }

  public TokenAdmin admin() {
    return admin;
  }

  public ClientAuthenticator authenticator() {
    return authenticator;
  }

  public ServiceConsent consent() {
    return consent;
  }

  /** The subject under which a client knows an account (pairwise unless the client has public subjects). */
  public Future<String> subjectOf(String clientId, java.util.UUID accountId) {
    return clients.find(clientId).compose(c -> c.isPresent() ? Future.succeededFuture(subjects.of(c.get(), accountId))
        : Future.failedFuture(new IllegalStateException("no client " + clientId)));
  }

  /** The account a client knows by {@code subject}, if the citizen was ever signed in to it. */
  public Future<java.util.Optional<java.util.UUID>> accountOf(String clientId, String subject) {
    return grants.accountOf(clientId, subject);
  }

  /** Ends every grant of a client for an account: its refresh tokens stop and its access tokens fail at userinfo and introspection. */
  public Future<Integer> revokeCitizen(String clientId, java.util.UUID accountId) {
    return grants.revokeCitizen(clientId, accountId);
  }

  public BackchannelLogout logout() {
    return logout;
  }
}

package jp.tsunagu.platform;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.tsunagu.platform.account.AccountCache;
import jp.tsunagu.platform.account.AccountService;
import jp.tsunagu.platform.audit.AuditLog;
import jp.tsunagu.platform.circular.CircularService;
import jp.tsunagu.platform.consentlink.ConsentWiring;
import jp.tsunagu.platform.cluster.ClusterNode;
import jp.tsunagu.platform.config.TsunaguConfig;
import jp.tsunagu.platform.db.Database;
import jp.tsunagu.platform.db.EmbeddedDatabase;
import jp.tsunagu.platform.db.Migrations;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.HttpVerticle;
import jp.tsunagu.platform.mail.MailOutbox;
import jp.tsunagu.platform.mail.MailSender;
import jp.tsunagu.platform.ratelimit.RateLimiter;
import jp.tsunagu.platform.residence.ResidenceService;
import jp.tsunagu.platform.security.PasswordHasher;
import jp.tsunagu.platform.staff.StaffService;
import jp.tsunagu.platform.tenant.TenantService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform node: PostgreSQL (embedded when none is configured), migrations, the Hazelcast
 * cluster member, the domain services and the HTTP verticles. {@link #stop()} finishes in-flight
 * requests before it closes anything.
 */
public final class Platform {
  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

  private final TsunaguConfig config;
  private EmbeddedDatabase embedded;
  private ClusterNode node;
  private Pool pool;
  private WorkerExecutor passwordWorkers;
  private MailSender mailSender;
  private volatile Services services;
  private jp.tsunagu.platform.sitesearch.ContentModule content;
  private jp.tsunagu.platform.notify.NotifyModule notify;
  private Future<io.vertx.openapi.contract.OpenAPIContract> contract;
  private final List<String> deployments = new ArrayList<>();
  private int port;
  private long setTimer = -1;
  private long reminderTimer = -1;
  private long expiryTimer = -1;

  private Platform(TsunaguConfig config) {
    this.config = config;
  }

  /** Starts a node and completes when it serves HTTP. Blocking steps run off the caller's thread. */
  public static Future<Platform> start(TsunaguConfig config) {
    Platform platform = new Platform(config);
    return platform.boot().map(platform);
  }

  private Future<Void> boot() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Database db = database();
    AtomicBoolean migrated = new AtomicBoolean(false);
    // Migrations (JDBC, blocking) run while the cluster member starts.
    Promise<Void> migration = Promise.promise();
    Thread.ofPlatform().name("tsunagu-migrations").start(() -> {
      try {
        Migrations.apply(db);
        migrated.set(true);
        migration.complete();
      } catch (RuntimeException e) {
        migration.fail(e);
      }
    });
    return ClusterNode.start(config, registry)
        .onSuccess(n -> {
          node = n;
          // parsing the contract needs nothing but Vert.x: it runs while the database work below goes on
          contract = jp.tsunagu.platform.http.Contract.load(n.vertx());
        })
        .compose(n -> migration.future())
        .compose(v -> {
          Vertx vertx = node.vertx();
          pool = db.pool(vertx, config.get(TsunaguConfig.DB_POOL_SIZE), config.get(TsunaguConfig.DB_WAIT_SECONDS));
          return ConsentWiring.start(vertx, pool, jp.tsunagu.platform.consentlink.PlatformSecrets.of(pool, config), config.publicUrl(),
              this::revokeServiceTokens, this::serviceSubject);
        })
        .compose(consent -> jp.tsunagu.platform.sitesearch.ContentModule.start(node.vertx(), node.hazelcast(), pool, config,
                node.hazelcast().getCluster().getLocalMember().getUuid().toString())
            .onSuccess(c -> content = c)
            .map(consent))
        .compose(consent -> jp.tsunagu.platform.notify.NotifyModule.start(node.vertx(), pool, config, content,
                node.hazelcast().getCluster().getLocalMember().getUuid().toString(), Clock.systemUTC())
            .onSuccess(n -> notify = n)
            .map(consent))
        .compose(consent -> {
          var clusterManager = ((io.vertx.core.internal.VertxInternal) node.vertx()).clusterManager();
          AccountCache accountCache = new AccountCache(node.vertx(), clusterManager::getNodes,
              config.get(TsunaguConfig.ACCOUNT_CACHE_ENTRIES),
              Duration.ofSeconds(config.get(TsunaguConfig.ACCOUNT_CACHE_MAX_AGE_SECONDS)), Duration.ofSeconds(5));
          return accountCache.listen(clusterManager.getNodeId()).map(registered -> Map.entry(consent, accountCache));
        })
        .compose(wired -> services(node.vertx(), registry, migrated, wired.getKey(), wired.getValue()).map(built -> {
          services = built;
          return wired.getKey();
        }))
        .compose(consent -> {
          Vertx vertx = node.vertx();
          startSetDispatcher(vertx, consent);
          reminderTimer = vertx.setPeriodic(TimeUnit.MINUTES.toMillis(10), id -> services.circulars().remindBeforeDeadlines()
              .onFailure(err -> LOG.warn("circular reminders failed: {}", err.getMessage())));
          mailSender = new MailSender(vertx, pool, config);
          if (!config.get(TsunaguConfig.SMTP_HOST).isEmpty()) {
            mailSender.start(1000);
          }
          return deployHttp(vertx);
        })
        .compose(v -> config.get(TsunaguConfig.DEMO) ? new DemoSeeder(services).seed() : Future.succeededFuture())
        .onFailure(err -> stop());
  }

  private Database database() {
    String url = config.get(TsunaguConfig.DB_URL);
    if (!url.isEmpty()) {
      return Database.fromUrl(url);
    }
    embedded = EmbeddedDatabase.start(Path.of(config.get(TsunaguConfig.DB_EMBEDDED_DATA_DIR)));
    return embedded.database();
  }

  /**
   * Delivers queued Security Event Tokens (consent withdrawals) to the services' receivers, with
   * retries; every node runs it, and the outbox's leases keep one delivery per event.
   */
  private void startSetDispatcher(Vertx vertx, jp.tsunagu.consent.ConsentModule consent) {
    var dispatcher = consent.setDispatcher(new jp.tsunagu.consent.withdrawal.WebClientSetSender(
        io.vertx.ext.web.client.WebClient.create(vertx), java.time.Duration.ofSeconds(10)),
        jp.tsunagu.consent.withdrawal.RetryPolicy.defaults());
    setTimer = vertx.setPeriodic(2000, id -> dispatcher.dispatchDue()
        .onFailure(err -> LOG.warn("security event delivery round failed: {}", err.getMessage())));
    // consents given for a limited time expire on time, on whichever node gets there first
    expiryTimer = vertx.setPeriodic(60_000, id -> consent.consents().expireDue(500)
        .onFailure(err -> LOG.warn("consent expiry round failed: {}", err.getMessage())));
  }

  /**
   * Revokes a service's tokens for a citizen on withdrawal. Services outside the platform hold
   * tokens of the OpenID provider (consent service id {@code client:<client id>}); the built-in
   * services (neighbourhood circulars) hold none.
   */
  private Future<Void> revokeServiceTokens(String tenantId, String serviceId, String citizenId) {
    var clientId = jp.tsunagu.platform.consentlink.ClientConsents.clientIdOf(serviceId);
    if (clientId.isEmpty()) {
      return Future.succeededFuture();
    }
    if (services == null) {
      return Future.failedFuture(new IllegalStateException("the OpenID provider is not started yet"));
    }
    return services.oidc().revokeCitizen(clientId.get(), java.util.UUID.fromString(citizenId)).mapEmpty();
  }

  /** A relying party knows a citizen by its (pairwise) subject; the built-in services by the platform's account id. */
  private Future<String> serviceSubject(String tenantId, String serviceId, String citizenId) {
    var clientId = jp.tsunagu.platform.consentlink.ClientConsents.clientIdOf(serviceId);
    if (clientId.isEmpty()) {
      return Future.succeededFuture(citizenId);
    }
    if (services == null) {
      return Future.failedFuture(new IllegalStateException("the OpenID provider is not started yet"));
    }
    return services.oidc().subjectOf(clientId.get(), java.util.UUID.fromString(citizenId));
  }

  private Future<Services> services(Vertx vertx, PrometheusMeterRegistry registry, AtomicBoolean migrated,
                                    jp.tsunagu.consent.ConsentModule consent, AccountCache accountCache) {
    Clock clock = Clock.systemUTC();
    passwordWorkers = vertx.createSharedWorkerExecutor("tsunagu-password", config.get(TsunaguConfig.PASSWORD_WORKERS),
        30, TimeUnit.SECONDS);
    PasswordHasher hasher = new PasswordHasher(passwordWorkers, config.get(TsunaguConfig.ARGON2_MEMORY_KIB),
        config.get(TsunaguConfig.ARGON2_ITERATIONS), config.get(TsunaguConfig.ARGON2_PARALLELISM)).withMetrics(registry)
        .withQueueLimit(config.get(TsunaguConfig.PASSWORD_QUEUE_LIMIT));
    RateLimiter limiter = new RateLimiter(vertx, node.hazelcast().getMap(ClusterNode.RATE_LIMIT_MAP), clock);
    String publicUrl = config.publicUrl();
    AccountService accounts = new AccountService(pool, accountCache, hasher, limiter, config.get(TsunaguConfig.SIGN_IN_ATTEMPTS_PER_15_MIN),
        publicUrl, clock);
    StaffService staff = new StaffService(pool, hasher, limiter, config.get(TsunaguConfig.SIGN_IN_ATTEMPTS_PER_15_MIN));
    ResidenceService residence = new ResidenceService(pool, accountCache, limiter, config.get(TsunaguConfig.CODE_ATTEMPTS_PER_HOUR),
        config.get(TsunaguConfig.RESIDENCE_CODE_TTL_DAYS), publicUrl, clock);
    LOG.info("password hashing: {}", hasher.parameters());
    return jp.tsunagu.platform.oidc.Oidc.start(vertx, pool, config, limiter, accounts,
            new jp.tsunagu.platform.consentlink.ClientConsents(consent))
        .map(oidc -> new Services(config, pool, registry, migrated, hasher, limiter, new AuditLog(pool), new MailOutbox(pool),
            accounts, staff, new TenantService(pool), residence, new Auth(accounts, staff), consent,
            new CircularService(pool, consent), content, oidc, notify));
  }

  private Future<Void> deployHttp(Vertx vertx) {
    int instances = config.get(TsunaguConfig.HTTP_INSTANCES);
    List<HttpVerticle> verticles = new ArrayList<>();
    return this.contract.compose(contract -> vertx.deployVerticle(() -> {
          HttpVerticle v = new HttpVerticle(services, contract);
          synchronized (verticles) {
            verticles.add(v);
          }
          return v;
        }, new DeploymentOptions().setInstances(instances).setThreadingModel(ThreadingModel.EVENT_LOOP)))
        .onSuccess(id -> {
          deployments.add(id);
          port = verticles.get(0).port();
          LOG.info("HTTP on port {} ({} event-loop instances); public URL {}", port, instances, config.publicUrl());
        })
        .mapEmpty();
  }

  public int port() {
    return port;
  }

  public Services services() {
    return services;
  }

  public Vertx vertx() {
    return node.vertx();
  }

  public TsunaguConfig config() {
    return config;
  }

  public MailSender mailSender() {
    return mailSender;
  }

  /** Stops accepting requests, lets in-flight ones finish, then closes everything in order. */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    if (node != null) {
      for (String id : deployments) {
        chain = chain.compose(v -> node.vertx().undeploy(id).recover(e -> Future.succeededFuture()));
      }
      chain = chain.compose(v -> {
        if (setTimer >= 0) {
          node.vertx().cancelTimer(setTimer);
        }
        if (reminderTimer >= 0) {
          node.vertx().cancelTimer(reminderTimer);
        }
        if (expiryTimer >= 0) {
          node.vertx().cancelTimer(expiryTimer);
        }
        if (mailSender != null) {
          mailSender.stop();
        }
        if (services != null) {
          services.oidc().stop();
        }
        if (passwordWorkers != null) {
          passwordWorkers.close();
        }
        return notify == null ? Future.succeededFuture() : notify.stop().recover(e -> Future.succeededFuture());
      }).compose(v -> {
        return content == null ? Future.succeededFuture() : content.stop().recover(e -> Future.succeededFuture());
      }).compose(v -> {
        return pool == null ? Future.succeededFuture() : pool.close().recover(e -> Future.succeededFuture());
      }).compose(v -> node.close().recover(e -> Future.succeededFuture()));
    }
    return chain.onComplete(ar -> {
      if (embedded != null) {
        embedded.close();
      }
    });
  }
}

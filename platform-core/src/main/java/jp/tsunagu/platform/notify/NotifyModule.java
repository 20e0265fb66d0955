package jp.tsunagu.platform.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.platform.config.TsunaguConfig;
import jp.tsunagu.platform.consentlink.PlatformSecrets;
import jp.tsunagu.platform.content.ContentRepository;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.profile.ProfileRepository;
import jp.tsunagu.platform.profile.ProfileService;
import jp.tsunagu.platform.sitesearch.ContentModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wiring of profiles and delivery on one node: the profile service, this node's saved-search
 * monitor, the matcher (active on the node holding its lease), the inbox and its live stream, and
 * the channel senders (on every node, sharing the outbox by row locks). {@link #stop} stops them
 * and gives up the lease before the pool closes.
 */
public final class NotifyModule {
  private static final Logger LOG = LoggerFactory.getLogger(NotifyModule.class);

  private final Vertx vertx;
  private final TsunaguConfig config;
  private final ProfileService profiles;
  private final SavedSearches searches;
  private final Matcher matcher;
  private final InboxRepository inbox;
  private final EmailChannel email;
  private final EmailSender emailSender;
  private final WebhookEndpoints webhooks;
  private final WebhookSender webhookSender;
  private final io.vertx.ext.web.client.WebClient webClient;
  private final PushSubscriptions pushSubscriptions;
  private final StaffNotices staffNotices;
  private final LifeStageProgrammes programmes;
  private long programmeTimer = -1;
  private final WorkerExecutor pushCrypto;
  private Vapid vapid;
  private WebPushSender webPushSender;
  private final WorkerExecutor matchWorker;
  private MessageConsumer<Object> matched;
  private long senderTimer = -1;
  private long purgeTimer = -1;
  private final Pool pool;
  private final LiveConnections live;
  private ManageLinks manageLinks;

  private NotifyModule(Vertx vertx, TsunaguConfig config, ProfileService profiles, SavedSearches searches, Matcher matcher,
                       InboxRepository inbox, EmailChannel email, EmailSender emailSender, WorkerExecutor matchWorker,
                       Pool pool, LiveConnections live) {
    this.live = live;
    this.vertx = vertx;
    this.config = config;
    this.profiles = profiles;
    this.searches = searches;
    this.matcher = matcher;
    this.inbox = inbox;
    this.email = email;
    this.emailSender = emailSender;
    this.matchWorker = matchWorker;
    this.pool = pool;
    this.webhooks = new WebhookEndpoints(pool);
    this.webClient = io.vertx.ext.web.client.WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions()
        .setConnectTimeout(config.get(TsunaguConfig.NOTIFY_WEBHOOK_TIMEOUT_MILLIS)).setUserAgentEnabled(false),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
    this.webhookSender = new WebhookSender(pool, webClient,
        new CircuitBreakers(config.get(TsunaguConfig.NOTIFY_WEBHOOK_BREAKER_FAILURES),
            config.get(TsunaguConfig.NOTIFY_WEBHOOK_BREAKER_OPEN_SECONDS) * 1000L, System::currentTimeMillis),
        config.get(TsunaguConfig.NOTIFY_WEBHOOK_TIMEOUT_MILLIS), config.get(TsunaguConfig.NOTIFY_WEBHOOK_RETRY_BASE_MILLIS),
        config.get(TsunaguConfig.NOTIFY_WEBHOOK_MAX_ATTEMPTS));
    this.pushSubscriptions = new PushSubscriptions(pool);
    this.staffNotices = new StaffNotices(vertx, pool, new MatchRepository(pool), profiles::today);
    this.programmes = new LifeStageProgrammes(vertx, pool, new MatchRepository(pool), profiles::today);
    this.pushCrypto = vertx.createSharedWorkerExecutor("tsunagu-push-crypto", 2, 30, TimeUnit.SECONDS);
  }

  private Future<Void> startWebPush() {
    return PlatformSecrets.of(pool, config).getOrCreate("notify.vapid", Vapid::generate).map(stored -> {
      vapid = Vapid.of(stored, config.get(TsunaguConfig.NOTIFY_VAPID_SUBJECT));
      webPushSender = new WebPushSender(pool, webClient, pushCrypto, vapid, config.get(TsunaguConfig.NOTIFY_WEBHOOK_TIMEOUT_MILLIS),
          config.get(TsunaguConfig.NOTIFY_WEBHOOK_RETRY_BASE_MILLIS), config.get(TsunaguConfig.NOTIFY_WEBHOOK_MAX_ATTEMPTS));
      return null;
    });
  }

  public static Future<NotifyModule> start(Vertx vertx, Pool pool, TsunaguConfig config, ContentModule content, String nodeId,
                                           Clock clock) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("tsunagu-notify-match", 1, 60, TimeUnit.SECONDS);
    SavedSearches searches = new SavedSearches(pool, worker, content.indexes().analysis());
    ProfileService profiles = new ProfileService(new ProfileRepository(pool), searches::check, clock);
    Matcher matcher = new Matcher(vertx, new MatchRepository(pool), new ContentRepository(pool), searches, nodeId,
        config.get(TsunaguConfig.NOTIFY_LEASE_SECONDS), profiles::today);
    PlatformSecrets secrets = PlatformSecrets.of(pool, config);
    return secrets.getOrCreate("notify.unsubscribe", NotifyModule::randomKey).compose(key -> secrets
        .getOrCreate("notify.manage", NotifyModule::randomKey).compose(manageKey -> {
      EmailChannel email = new EmailChannel(pool, new UnsubscribeTokens(key), config.publicUrl());
      ManageLinks links = new ManageLinks(pool, manageKey, config.publicUrl(), clock);
      NotifyModule module = new NotifyModule(vertx, config, profiles, searches, matcher, new InboxRepository(pool), email,
          new EmailSender(vertx, pool, email, links), worker, pool, new LiveConnections(vertx, pool, nodeId));
      module.manageLinks = links;
      return module.live.start().compose(v -> module.startWebPush()).compose(v -> module.startSenders()).compose(v -> matcher.start(config.get(TsunaguConfig.NOTIFY_POLL_MILLIS))).map(module);
    }));
  }

  private Future<Void> startSenders() {
    matched = vertx.eventBus().consumer(NotifyAddresses.NOTICE_MATCHED, m -> sendDue());
    senderTimer = vertx.setPeriodic(config.get(TsunaguConfig.NOTIFY_SENDER_POLL_MILLIS), id -> sendDue());
    programmeTimer = vertx.setPeriodic(TimeUnit.MINUTES.toMillis(10), id -> programmes.run()
        .onFailure(err -> LOG.warn("life-stage programme round failed: {}", err.toString())));
    purgeTimer = vertx.setPeriodic(TimeUnit.HOURS.toMillis(1), id -> NoticeStatistics.purge(pool,
        config.get(TsunaguConfig.NOTIFY_RETENTION_DAYS)).compose(n -> manageLinks.purge())
        .onFailure(err -> LOG.warn("notice purge failed: {}", err.toString())));
    return matched.completion();
  }

  /** Runs the channel senders once (each skips a round while its previous one runs). */
  public void sendDue() {
    staffNotices.sendDue().onFailure(err -> LOG.warn("sending staff notices failed: {}", err.toString()));
    emailSender.drain().onFailure(err -> LOG.warn("e-mail notices round failed: {}", err.toString()));
    webhookSender.drain().onFailure(err -> LOG.warn("webhook deliveries round failed: {}", err.toString()));
    webPushSender.drain().onFailure(err -> LOG.warn("web push round failed: {}", err.toString()));
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  public ProfileService profiles() {
    return profiles;
  }

  public Matcher matcher() {
    return matcher;
  }

  public InboxRepository inbox() {
    return inbox;
  }

  public EmailChannel email() {
    return email;
  }

  public InboxHandlers inboxHandlers(Auth auth) {
    return new InboxHandlers(inbox, auth);
  }

  public EmailHandlers emailHandlers(Auth auth) {
    return new EmailHandlers(email, auth, config.get(TsunaguConfig.NOTIFY_MAIL_EVENT_SECRET));
  }

  public WebhookHandlers webhookHandlers(Auth auth) {
    return new WebhookHandlers(webhooks, auth);
  }

  public WebPushHandlers webPushHandlers(Auth auth) {
    return new WebPushHandlers(pushSubscriptions, vapid, auth);
  }

  public StaffNoticeHandlers staffNoticeHandlers(jp.tsunagu.platform.tenant.TenantService tenants, Auth auth) {
    return new StaffNoticeHandlers(staffNotices, programmes, tenants, auth);
  }

  /** The magic links of notice mails, to manage notices without signing in. */
  public ManageLinks manageLinks() {
    return manageLinks;
  }

  /** Staff-composed notices: reach preview, scheduling, cancelling. */
  public StaffNotices staffNotices() {
    return staffNotices;
  }

  /** A municipality's notices with their counters per channel. */
  public Future<io.vertx.core.json.JsonObject> noticeCounters(String tenant, int limit) {
    return NoticeStatistics.list(pool, tenant, limit);
  }

  /** The life-stage programmes (their round runs every 10 minutes on every node). */
  public LifeStageProgrammes programmes() {
    return programmes;
  }

  public NoticeStatistics noticeStatistics(jp.tsunagu.platform.tenant.TenantService tenants, Auth auth) {
    return new NoticeStatistics(pool, tenants, auth);
  }

  /** Purges notices past the retention now (the hourly round does the same). */
  public Future<Integer> purgeExpired() {
    return NoticeStatistics.purge(pool, config.get(TsunaguConfig.NOTIFY_RETENTION_DAYS));
  }

  public LiveInbox liveInbox(Vertx vertx, Auth auth) {
    return new LiveInbox(vertx, inbox, live, auth);
  }

  public Future<Void> stop() {
    if (senderTimer >= 0) {
      vertx.cancelTimer(senderTimer);
    }
    if (purgeTimer >= 0) {
      vertx.cancelTimer(purgeTimer);
    }
    if (programmeTimer >= 0) {
      vertx.cancelTimer(programmeTimer);
    }
    Future<Void> unregistered = matched == null ? Future.succeededFuture() : matched.unregister().recover(e -> Future.succeededFuture());
    return unregistered.compose(v -> matcher.stop()).compose(v -> live.stop())
        .eventually(searches::close)
        .eventually(() -> {
          webClient.close();
          pushCrypto.close();
          return matchWorker.close();
        });
  }
}

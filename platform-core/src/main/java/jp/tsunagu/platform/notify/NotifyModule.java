package jp.tsunagu.platform.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.platform.config.TsunaguConfig;
import jp.tsunagu.platform.content.ContentRepository;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.profile.ProfileRepository;
import jp.tsunagu.platform.profile.ProfileService;
import jp.tsunagu.platform.sitesearch.ContentModule;

/**
 * Wiring of profiles and delivery on one node: the profile service, this node's saved-search
 * monitor, the matcher (active on the node holding its lease), the inbox and its live stream.
 * {@link #stop} stops matching and gives up the lease before the pool closes.
 */
public final class NotifyModule {
  private final ProfileService profiles;
  private final SavedSearches searches;
  private final Matcher matcher;
  private final InboxRepository inbox;
  private final WorkerExecutor matchWorker;

  private NotifyModule(ProfileService profiles, SavedSearches searches, Matcher matcher, InboxRepository inbox,
                       WorkerExecutor matchWorker) {
    this.profiles = profiles;
    this.searches = searches;
    this.matcher = matcher;
    this.inbox = inbox;
    this.matchWorker = matchWorker;
  }

  public static Future<NotifyModule> start(Vertx vertx, Pool pool, TsunaguConfig config, ContentModule content, String nodeId,
                                           Clock clock) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("tsunagu-notify-match", 1, 60, TimeUnit.SECONDS);
    SavedSearches searches = new SavedSearches(pool, worker, content.indexes().analysis());
    ProfileService profiles = new ProfileService(new ProfileRepository(pool), searches::check, clock);
    Matcher matcher = new Matcher(vertx, new MatchRepository(pool), new ContentRepository(pool), searches, nodeId,
        config.get(TsunaguConfig.NOTIFY_LEASE_SECONDS), profiles::today);
    NotifyModule module = new NotifyModule(profiles, searches, matcher, new InboxRepository(pool), worker);
    return matcher.start(config.get(TsunaguConfig.NOTIFY_POLL_MILLIS)).map(module);
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

  public InboxHandlers inboxHandlers(Auth auth) {
    return new InboxHandlers(inbox, auth);
  }

  public LiveInbox liveInbox(Vertx vertx, Auth auth) {
    return new LiveInbox(vertx, inbox, auth);
  }

  public Future<Void> stop() {
    return matcher.stop()
        .eventually(searches::close)
        .eventually(() -> matchWorker.close());
  }
}

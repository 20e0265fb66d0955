package jp.tsunagu.platform.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import jp.tsunagu.platform.content.ContentAddresses;
import jp.tsunagu.platform.content.ContentRepository;
import jp.tsunagu.platform.content.ContentRepository.ChangeRow;
import jp.tsunagu.platform.notify.MatchRepository.Recipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches every content change against its municipality's profiles and subscriptions and writes
 * the notifications, durably. One node at a time holds the matcher's lease (a row in
 * {@code notify_matcher}, renewed every round, taken over when it lapses); the holder reads
 * {@code content_change} after the checkpoint and, for each change, writes in two transactions,
 * both fenced by the lease so a node that lost it writes nothing: first the notice and the
 * notifications of the recipients with a live stream open, which go live as soon as they are
 * committed; then every other recipient's notification (one {@code INSERT … SELECT}), the channel
 * deliveries and the checkpoint. A crash anywhere replays the change, which finds its notice and
 * goes on; the unique (notice, citizen) key keeps copies single, and nothing is sent live before
 * its row is committed. Content events wake it; a poll covers missed events and lease take-overs.
 */
public final class Matcher {
  private static final Logger LOG = LoggerFactory.getLogger(Matcher.class);
  private static final int BATCH = 100;

  private final Vertx vertx;
  private final MatchRepository repository;
  private final ContentRepository content;
  private final SavedSearches searches;
  private final String owner;
  private final int leaseSeconds;
  private final Supplier<java.time.LocalDate> today;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private volatile boolean stopped;
  private volatile long matched = 0;
  private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
  private long timer = -1;

  Matcher(Vertx vertx, MatchRepository repository, ContentRepository content, SavedSearches searches, String owner,
          int leaseSeconds, Supplier<java.time.LocalDate> today) {
    this.vertx = vertx;
    this.repository = repository;
    this.content = content;
    this.searches = searches;
    this.owner = owner;
    this.leaseSeconds = leaseSeconds;
    this.today = today;
  }

  Future<Void> start(long pollMillis) {
    List<Future<Void>> registered = new ArrayList<>();
    for (String address : List.of(ContentAddresses.PAGE_PUBLISHED, ContentAddresses.PAGE_UPDATED, ContentAddresses.PAGE_WITHDRAWN)) {
      MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, m -> wake());
      consumers.add(consumer);
      registered.add(consumer.completion());
    }
    timer = vertx.setPeriodic(pollMillis, id -> wake());
    return Future.all(registered).<Void>mapEmpty().onSuccess(v -> wake());
  }

  /** The last change this node matched (for tests and status). */
  public long matchedThrough() {
    return matched;
  }

  /** Rounds that failed (and were retried) since start. */
  public long failures() {
    return failures.get();
  }

  public void wake() {
    dirty.set(true);
    if (!stopped && running.compareAndSet(false, true)) {
      round();
    }
  }

  private void round() {
    dirty.set(false);
    repository.lease(owner, leaseSeconds)
        .compose(checkpoint -> checkpoint.isEmpty() ? Future.succeededFuture(0) : matchAfter(checkpoint.get()))
        .onComplete(ar -> {
          if (ar.failed()) {
            failures.incrementAndGet();
            LOG.warn("matching content changes failed; retrying at the next poll: {}", ar.cause().toString());
          } else if (ar.result() == BATCH) {
            dirty.set(true);
          }
          running.set(false);
          if (dirty.get() && !stopped && running.compareAndSet(false, true)) {
            round();
          }
        });
  }

  private Future<Integer> matchAfter(long checkpoint) {
    return searches.sync()
        .compose(v -> content.changesAfter(checkpoint, BATCH))
        .compose(changes -> {
          Future<Void> chain = Future.succeededFuture();
          for (ChangeRow change : changes) {
            chain = chain.compose(v -> stopped ? Future.succeededFuture() : matchOne(change));
          }
          return chain.map(changes.size());
        });
  }

  private Future<Void> matchOne(ChangeRow change) {
    if (change.page() == null) {
      return skip(change);
    }
    boolean withdrawn = "withdrawn".equals(change.kind());
    if (!withdrawn && change.page().withdrawn()) {
      // published or updated, and withdrawn since: its withdrawal is a later change of its own
      return skip(change);
    }
    Future<List<String>> searchIds = withdrawn ? Future.succeededFuture(List.of()) : searches.match(change.page().toIndexPage());
    JsonObject notification = notification(change);
    return searchIds.compose(ids -> connectedFirst(change, ids)
        .compose(first -> first.isEmpty() ? Future.succeededFuture() : everyone(change, ids, first.get(), notification)));
  }

  /**
   * The first transaction: the notice and the notifications of the recipients who have a live
   * stream open (few, next to everyone), committed, then announced to every node. Empty when this
   * node no longer holds the lease or the change is done.
   */
  private Future<Optional<Long>> connectedFirst(ChangeRow change, List<String> ids) {
    JsonObject notification = notification(change);
    return repository.pool().withTransaction(tx -> repository.claim(tx, owner, change.id())
            .compose(mine -> !mine ? Future.succeededFuture(Optional.<Written>empty())
                : repository.insertNotice(tx, change.id(), change.kind(), change.page())
                    .compose(notice -> repository.insertLiveRecipients(tx, notice, change.kind(), change.page(), ids, today.get())
                        .compose(live -> repository.addRecipients(tx, notice, live.size())
                            .map(total -> Optional.of(new Written(notice, live, total)))))))
        .map(written -> {
          written.filter(w -> !w.recipients().isEmpty())
              .ifPresent(w -> LiveFanOut.recipients(vertx, w.noticeId(), w.recipients(), notification));
          return written.map(Written::noticeId);
        });
  }

  /**
   * The second transaction: every other recipient's notification (one {@code INSERT … SELECT};
   * those written first are skipped by the unique key), the channel deliveries of all of them and
   * the checkpoint. A crash between the two replays the change, which finds its notice and goes on.
   */
  private Future<Void> everyone(ChangeRow change, List<String> ids, long noticeId, JsonObject notification) {
    return repository.pool().withTransaction(tx -> repository.claim(tx, owner, change.id())
            .compose(mine -> !mine ? Future.succeededFuture(Optional.<Written>empty())
                // a few are enough to tell whether the nodes are sent them or look them up (LiveFanOut.INLINE)
                : repository.insertRecipients(tx, noticeId, change.kind(), change.page(), ids, today.get(), LiveFanOut.INLINE + 1)
                    .compose(rest -> repository.addRecipients(tx, noticeId, rest.count())
                        .compose(total -> (total == 0 ? repository.deleteNotice(tx, noticeId)
                            : repository.queueDeliveries(tx, noticeId, total)).map(new Written(noticeId, rest.some(), total))))
                    .compose(w -> repository.advance(tx, change.id()).map(Optional.of(w)))))
        .onSuccess(done -> done.ifPresent(w -> {
          matched = change.id();
          if (w.total() > 0) {
            LiveFanOut.committed(vertx, noticeId, w.recipients(), w.total(), notification);
          }
        }))
        .mapEmpty();
  }

  private Future<Void> skip(ChangeRow change) {
    return repository.pool().withTransaction(tx -> repository.claim(tx, owner, change.id())
        .compose(mine -> mine ? repository.advance(tx, change.id()) : Future.succeededFuture()))
        .onSuccess(v -> matched = change.id());
  }

  /** Notifications written in one transaction, and the notice's recipients so far. */
  private record Written(long noticeId, List<Recipient> recipients, int total) {}

  private static JsonObject notification(ChangeRow change) {
    var page = change.page();
    return new JsonObject().put("tenantCode", page.tenantCode())
        .put("kind", change.kind()).put("pageId", page.id().toString()).put("title", page.title())
        .put("url", page.url()).put("summary", page.summary())
        .put("createdAt", change.at().withOffsetSameInstant(ZoneOffset.UTC).toString()).put("read", false);
  }

  Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    List<Future<Void>> gone = new ArrayList<>();
    consumers.forEach(c -> gone.add(c.unregister()));
    return Future.join(gone).<Void>mapEmpty().recover(e -> Future.succeededFuture())
        .compose(v -> repository.release(owner).recover(e -> Future.succeededFuture()));
  }
}

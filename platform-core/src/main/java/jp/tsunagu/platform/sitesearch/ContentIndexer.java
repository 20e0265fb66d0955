package jp.tsunagu.platform.sitesearch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.tsunagu.platform.content.ContentAddresses;
import jp.tsunagu.platform.content.ContentPage;
import jp.tsunagu.platform.content.ContentRepository;
import jp.tsunagu.platform.content.ContentRepository.ChangeRow;
import jp.tsunagu.platform.content.FacilityRepository;
import jp.tsunagu.search.InvalidSearchRequestException;
import jp.tsunagu.search.SearchException;
import jp.tsunagu.search.facility.Facility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds this node's indexes from the content change log in PostgreSQL. It remembers the last
 * change applied to each index (starting from the index's committed checkpoint, so after any stop
 * it replays from PostgreSQL what the index had not made durable), reads the following changes in
 * id order with each page's current row, and applies them on the single index-writer thread.
 * Content events on the event bus wake it at once; a poll catches anything an event missed.
 * Applying a change twice is harmless (upserts and deletes by id), and every change writes the
 * page's current state, so the index converges to PostgreSQL whatever the timing.
 */
public final class ContentIndexer {
  private static final Logger LOG = LoggerFactory.getLogger(ContentIndexer.class);
  static final int BATCH = 500;
  /** A commit once no change has come for this long. */
  private static final long QUIET_COMMIT_NANOS = 1_000_000_000L;

  private final Vertx vertx;
  private final ContentRepository content;
  private final FacilityRepository facilityRows;
  private final SearchSettingsService settings;
  private final SearchIndexes indexes;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private volatile long pagesApplied = -1;
  private volatile long facilitiesApplied = -1;
  private volatile long lastCommit = System.nanoTime();
  private volatile long lastChange = System.nanoTime();
  private volatile boolean uncommitted;
  private volatile boolean stopped;
  private long timer = -1;
  private final long commitEveryNanos;

  /**
   * @param commitEveryMillis longest time between two commits of the indexes while changes keep
   *     coming (a commit also follows a pause of a second); what was applied after the last
   *     commit is replayed from PostgreSQL after a crash
   */
  public ContentIndexer(Vertx vertx, ContentRepository content, FacilityRepository facilityRows, SearchSettingsService settings,
                        SearchIndexes indexes, long commitEveryMillis) {
    this.commitEveryNanos = commitEveryMillis * 1_000_000L;
    this.vertx = vertx;
    this.content = content;
    this.facilityRows = facilityRows;
    this.settings = settings;
    this.indexes = indexes;
  }

  /**
   * Applies every municipality's search settings (a replay from the checkpoint may start after
   * their last change), resumes from the indexes' checkpoints and starts listening and polling.
   */
  public Future<Void> start(long pollMillis) {
    return settings.all().compose(all -> indexes.write(() -> {
      all.forEach(this::applySettings);
      pagesApplied = Math.max(0, indexes.pages().committedSequence());
      facilitiesApplied = Math.max(0, indexes.facilities().committedSequence());
      return null;
    })).compose(v -> {
      List<Future<Void>> registered = new ArrayList<>();
      for (String address : List.of(ContentAddresses.PAGE_PUBLISHED, ContentAddresses.PAGE_UPDATED,
          ContentAddresses.PAGE_WITHDRAWN, ContentAddresses.FACILITIES_REPLACED, ContentAddresses.SEARCH_SETTINGS_CHANGED)) {
        MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, message -> wake());
        consumers.add(consumer);
        registered.add(consumer.completion());
      }
      timer = vertx.setPeriodic(pollMillis, id -> wake());
      return Future.all(registered).<Void>mapEmpty();
    }).onSuccess(v -> wake());
  }

  /** The last change applied to the page index (searchable within a reopen of the index). */
  public long pagesApplied() {
    return pagesApplied;
  }

  public long facilitiesApplied() {
    return facilitiesApplied;
  }

  /** Reads and applies what is new; calls while a round runs make it go round once more. */
  public void wake() {
    dirty.set(true);
    if (!stopped && running.compareAndSet(false, true)) {
      round();
    }
  }

  private void round() {
    dirty.set(false);
    long from = Math.min(pagesApplied, facilitiesApplied);
    content.changesAfter(from, BATCH)
        .compose(changes -> Future.all(facilitiesOf(changes), settingsOf(changes))
            .compose(loaded -> indexes.write(() -> apply(changes, loaded.resultAt(0), loaded.resultAt(1)))))
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("applying content changes after {} failed; retrying at the next poll: {}", from, ar.cause().toString());
            running.set(false);
            return;
          }
          if (ar.result() == BATCH) {
            dirty.set(true);
          }
          running.set(false);
          if (dirty.get() && !stopped && running.compareAndSet(false, true)) {
            round();
          }
        });
  }

  /** The current facility list of every municipality whose facilities changed in this batch. */
  private Future<Map<String, List<Facility>>> facilitiesOf(List<ChangeRow> changes) {
    Set<String> tenants = new LinkedHashSet<>();
    for (ChangeRow c : changes) {
      if (c.kind().equals("facilities_replaced") && c.id() > facilitiesApplied) {
        tenants.add(c.tenantCode());
      }
    }
    Map<String, List<Facility>> lists = new HashMap<>();
    List<Future<Void>> loads = new ArrayList<>();
    for (String tenant : tenants) {
      loads.add(facilityRows.all(tenant).map(list -> {
        synchronized (lists) {
          lists.put(tenant, list);
        }
        return null;
      }));
    }
    return Future.all(loads).map(lists);
  }

  /** The current settings of every municipality whose settings changed in this batch. */
  private Future<Map<String, SearchSettings>> settingsOf(List<ChangeRow> changes) {
    Set<String> tenants = new LinkedHashSet<>();
    for (ChangeRow c : changes) {
      if (c.kind().equals("search_settings_changed") && c.id() > pagesApplied) {
        tenants.add(c.tenantCode());
      }
    }
    Map<String, SearchSettings> out = new HashMap<>();
    List<Future<Void>> loads = new ArrayList<>();
    for (String tenant : tenants) {
      loads.add(settings.get(tenant).map(s -> {
        synchronized (out) {
          out.put(tenant, s);
        }
        return null;
      }));
    }
    return Future.all(loads).map(out);
  }

  /** Installs a municipality's dictionary, synonyms and best bets (writer thread: pages indexed after it use it). */
  private void applySettings(SearchSettings s) {
    try {
      indexes.analysis().configure(s.tenantCode(), s.userDictionary(), s.synonyms());
    } catch (InvalidSearchRequestException e) {
      LOG.error("search settings of {} cannot be applied and are skipped: {}", s.tenantCode(), e.getMessage());
    }
    indexes.pages().bestBets().replace(s.tenantCode(), s.bestBets());
  }

  /**
   * Runs on the index writer thread. Each index remembers the last change it has seen: a change
   * that does not concern it (a page change for the facility index) moves its position on too.
   * Returns the number of changes read.
   */
  private int apply(List<ChangeRow> changes, Map<String, List<Facility>> facilityLists, Map<String, SearchSettings> changedSettings) {
    for (ChangeRow c : changes) {
      boolean facilities = c.kind().equals("facilities_replaced");
      if (c.id() > pagesApplied) {
        if (c.kind().equals("search_settings_changed")) {
          applySettings(changedSettings.getOrDefault(c.tenantCode(), SearchSettings.empty(c.tenantCode())));
        } else if (!facilities && c.page() != null) {
          applyPage(c.id(), c.page());
        }
        pagesApplied = c.id();
        uncommitted = true;
      }
      if (c.id() > facilitiesApplied) {
        if (facilities) {
          indexes.facilities().replaceTenant(c.tenantCode(), facilityLists.getOrDefault(c.tenantCode(), List.of()));
        }
        facilitiesApplied = c.id();
        uncommitted = true;
      }
    }
    // A commit fsyncs on the writer thread, which every change waits for: rarely while changes
    // come (PostgreSQL replays what the index had not made durable), and soon once they pause.
    long now = System.nanoTime();
    if (!changes.isEmpty()) {
      lastChange = now;
    }
    if (uncommitted && (now - lastCommit > commitEveryNanos || now - lastChange > QUIET_COMMIT_NANOS)) {
      commitNow();
    }
    return changes.size();
  }

  private void applyPage(long changeId, ContentPage page) {
    try {
      if (page.withdrawn()) {
        indexes.pages().delete(page.tenantCode(), page.id().toString());
      } else {
        indexes.pages().upsert(page.toIndexPage());
      }
    } catch (InvalidSearchRequestException | IllegalArgumentException e) {
      // a row the index cannot take (it would fail on every node, every time): skip it, loudly
      LOG.error("change {} (page {}) cannot be indexed and is skipped: {}", changeId, page.id(), e.getMessage());
    } catch (SearchException e) {
      throw e;
    }
  }

  /** Makes everything applied so far durable, with its checkpoint. Writer thread only. */
  void commitNow() {
    indexes.pages().commit(pagesApplied);
    indexes.facilities().commit(facilitiesApplied);
    lastCommit = System.nanoTime();
    uncommitted = false;
  }

  /** Stops listening and polling, and commits what was applied. */
  public Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    List<Future<Void>> gone = new ArrayList<>();
    consumers.forEach(c -> gone.add(c.unregister()));
    return Future.join(gone).recover(e -> Future.succeededFuture())
        .compose(v -> indexes.write(() -> {
          if (uncommitted) {
            commitNow();
          }
          return null;
        })).mapEmpty();
  }
}


package jp.tsunagu.platform.sitesearch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.tsunagu.platform.content.ContentAddresses;
import jp.tsunagu.platform.content.ContentEvent;
import jp.tsunagu.platform.content.ContentPage;
import jp.tsunagu.platform.content.ContentRepository;
import jp.tsunagu.platform.content.ContentRepository.ChangeRow;
import jp.tsunagu.platform.content.FacilityRepository;
import jp.tsunagu.search.InvalidSearchRequestException;
import jp.tsunagu.search.SearchException;
import jp.tsunagu.search.facility.Facility;
import jp.tsunagu.search.index.WriteToken;
import jp.tsunagu.search.page.Page;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds this node's indexes from the content change log in PostgreSQL. It remembers the last
 * change applied to each index (starting from the index's committed checkpoint, so after any stop
 * it replays from PostgreSQL what the index had not made durable) and applies the following
 * changes in id order on the single index-writer thread. A page change's event carries the page
 * as committed with it: while the events arrive in an unbroken run after the last change applied,
 * they are applied as they come, without reading them back; a gap (an event missed or overtaken,
 * a facility or settings change, a page too long to travel) and the poll read the changes from
 * PostgreSQL, with each page's current row. After each batch the indexes are asked to reopen at
 * once, so a batch is searchable one reopen after it was written. Commits (a flush and an fsync)
 * run on a thread of their own, so neither writes nor reopens wait for the disk. Applying a change
 * twice is harmless (upserts and deletes by id), and every change writes the page's whole state,
 * so the index converges to PostgreSQL whatever the timing.
 */
public final class ContentIndexer {
  private static final Logger LOG = LoggerFactory.getLogger(ContentIndexer.class);
  static final int BATCH = 500;
  /** Changes received with their events and not applied yet, at most this many; more are read from PostgreSQL. */
  static final int RECEIVED_LIMIT = BATCH;
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
  private volatile long fromEvents;
  private volatile long pagesCommitted = -1;
  private volatile long facilitiesCommitted = -1;
  private final ConcurrentSkipListMap<Long, Change> received = new ConcurrentSkipListMap<>();
  private final AtomicBoolean committing = new AtomicBoolean();
  private volatile long lastCommit = System.nanoTime();
  private volatile long lastChange = System.nanoTime();
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
      pagesCommitted = pagesApplied;
      facilitiesCommitted = facilitiesApplied;
      return null;
    })).compose(v -> {
      List<Future<Void>> registered = new ArrayList<>();
      for (String address : List.of(ContentAddresses.PAGE_PUBLISHED, ContentAddresses.PAGE_UPDATED,
          ContentAddresses.PAGE_WITHDRAWN, ContentAddresses.FACILITIES_REPLACED, ContentAddresses.SEARCH_SETTINGS_CHANGED)) {
        MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, message -> {
          receive(message.body());
          wake();
        });
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

  /** Changes applied since start from the page their event carried, without reading them back (status, tests). */
  public long appliedFromEvents() {
    return fromEvents;
  }

  /** Reads and applies what is new; calls while a round runs make it go round once more. */
  public void wake() {
    dirty.set(true);
    if (!stopped && running.compareAndSet(false, true)) {
      round();
    }
  }

  /** Keeps the page an event carries, to apply it without reading it back. */
  private void receive(Object body) {
    if (!(body instanceof JsonObject event)) {
      return;
    }
    try {
      Page page = ContentEvent.indexedPage(event);
      Long id = event.getLong("changeId");
      if (page != null && id != null && id > Math.min(pagesApplied, facilitiesApplied) && received.size() < RECEIVED_LIMIT) {
        received.put(id, new Change(id, event.getString("kind"), event.getString("tenantCode"), null, page));
      }
    } catch (RuntimeException e) {
      // an event this node cannot read: the change is read from PostgreSQL like any other
      LOG.debug("content event {} not applied from the bus: {}", event.getValue("changeId"), e.toString());
    }
  }

  private void round() {
    dirty.set(false);
    long from = Math.min(pagesApplied, facilitiesApplied);
    received.headMap(from, true).clear();
    List<Change> run = receivedAfter(from);
    Future<List<Change>> next = !run.isEmpty() ? Future.succeededFuture(run)
        : content.changesAfter(from, BATCH).map(rows -> rows.stream().map(Change::of).toList());
    next.compose(changes -> Future.all(facilitiesOf(changes), settingsOf(changes))
            .compose(loaded -> indexes.write(() -> apply(changes, loaded.resultAt(0), loaded.resultAt(1)))))
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("applying content changes after {} failed; retrying at the next poll: {}", from, ar.cause().toString());
            running.set(false);
            return;
          }
          if (ar.result() == BATCH || !run.isEmpty() && !received.isEmpty()) {
            dirty.set(true);
          }
          running.set(false);
          if (dirty.get() && !stopped && running.compareAndSet(false, true)) {
            round();
          }
        });
  }

  /**
   * The changes received with events that follow {@code from} without a gap, taken out of the
   * received ones; empty when the next change has not been received (it is read from PostgreSQL).
   * Only when both indexes are at the same change, as they are after every batch.
   */
  private List<Change> receivedAfter(long from) {
    List<Change> run = new ArrayList<>();
    if (pagesApplied != facilitiesApplied) {
      return run;
    }
    for (long id = from + 1; run.size() < BATCH; id++) {
      Change c = received.remove(id);
      if (c == null) {
        break;
      }
      run.add(c);
    }
    return run;
  }

  /** The current facility list of every municipality whose facilities changed in this batch. */
  private Future<Map<String, List<Facility>>> facilitiesOf(List<Change> changes) {
    Set<String> tenants = new LinkedHashSet<>();
    for (Change c : changes) {
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
  private Future<Map<String, SearchSettings>> settingsOf(List<Change> changes) {
    Set<String> tenants = new LinkedHashSet<>();
    for (Change c : changes) {
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
   * Asks both indexes to reopen for what it wrote, and starts a commit when one is due. Returns
   * the number of changes read.
   */
  private int apply(List<Change> changes, Map<String, List<Facility>> facilityLists, Map<String, SearchSettings> changedSettings) {
    WriteToken pageWrite = null;
    WriteToken facilityWrite = null;
    for (Change c : changes) {
      boolean facilities = c.kind().equals("facilities_replaced");
      if (c.id() > pagesApplied) {
        if (c.kind().equals("search_settings_changed")) {
          applySettings(changedSettings.getOrDefault(c.tenantCode(), SearchSettings.empty(c.tenantCode())));
        } else if (!facilities && c.hasPage()) {
          WriteToken written = applyPage(c);
          pageWrite = written == null ? pageWrite : written;
        }
        pagesApplied = c.id();
        if (c.row() == null && c.page() != null) {
          fromEvents++;
        }
      }
      if (c.id() > facilitiesApplied) {
        if (facilities) {
          facilityWrite = indexes.facilities().replaceTenant(c.tenantCode(), facilityLists.getOrDefault(c.tenantCode(), List.of()));
        }
        facilitiesApplied = c.id();
      }
    }
    if (pageWrite != null) {
      indexes.pages().requestSearchable(pageWrite);
    }
    if (facilityWrite != null) {
      indexes.facilities().requestSearchable(facilityWrite);
    }
    // Commits are rare while changes come (PostgreSQL replays what the index had not made
    // durable) and soon once they pause; they run on the commit thread, not this one.
    long now = System.nanoTime();
    if (!changes.isEmpty()) {
      lastChange = now;
    }
    if (uncommitted() && (now - lastCommit > commitEveryNanos || now - lastChange > QUIET_COMMIT_NANOS)) {
      commitInBackground();
    }
    return changes.size();
  }

  /** The write, or null when the change was skipped. */
  private WriteToken applyPage(Change c) {
    try {
      if (c.row() != null && c.row().withdrawn()) {
        return indexes.pages().delete(c.row().tenantCode(), c.row().id().toString());
      }
      return indexes.pages().upsert(c.indexPage());
    } catch (InvalidSearchRequestException | IllegalArgumentException e) {
      // a row the index cannot take (it would fail on every node, every time): skip it, loudly
      LOG.error("change {} (page {}) cannot be indexed and is skipped: {}", c.id(), c.pageId(), e.getMessage());
      return null;
    } catch (SearchException e) {
      throw e;
    }
  }

  private boolean uncommitted() {
    return pagesApplied > pagesCommitted || facilitiesApplied > facilitiesCommitted;
  }

  /**
   * Commits everything applied so far on the commit thread, unless a commit is running (the next
   * batch asks again). Writer thread: the positions read here are those of writes already made.
   */
  private void commitInBackground() {
    if (!committing.compareAndSet(false, true)) {
      return;
    }
    long pages = pagesApplied;
    long facilities = facilitiesApplied;
    lastCommit = System.nanoTime();
    indexes.commit(() -> {
      commit(pages, facilities);
      return null;
    }).onComplete(ar -> {
      committing.set(false);
      if (ar.failed()) {
        LOG.warn("committing the search indexes failed; trying again with the next changes: {}", ar.cause().toString());
      }
    });
  }

  /** Makes the writes through these changes durable, with their checkpoints. Commit thread only. */
  private void commit(long pages, long facilities) {
    indexes.pages().commit(pages);
    indexes.facilities().commit(facilities);
    pagesCommitted = pages;
    facilitiesCommitted = facilities;
  }

  /**
   * A change as the indexer applies it: from PostgreSQL with the page's current row, or from an
   * event with the page as committed with it. Neither for facility and settings changes.
   */
  record Change(long id, String kind, String tenantCode, ContentPage row, Page page) {
    static Change of(ChangeRow r) {
      return new Change(r.id(), r.kind(), r.tenantCode(), r.page(), null);
    }

    boolean hasPage() {
      return row != null || page != null;
    }

    /** Converted on the writer thread, where a page the index cannot take is skipped. */
    Page indexPage() {
      return page != null ? page : row.toIndexPage();
    }

    String pageId() {
      return page != null ? page.id() : row.id().toString();
    }
  }

  /** Stops listening and polling, and commits what was applied. */
  public Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    List<Future<Void>> gone = new ArrayList<>();
    consumers.forEach(c -> gone.add(c.unregister()));
    // after every write queued before, and after a commit that may be running
    return Future.join(gone).recover(e -> Future.succeededFuture())
        .compose(v -> indexes.write(() -> new long[] {pagesApplied, facilitiesApplied}))
        .compose(at -> indexes.commit(() -> {
          if (at[0] > pagesCommitted || at[1] > facilitiesCommitted) {
            commit(at[0], at[1]);
          }
          return null;
        })).mapEmpty();
  }
}


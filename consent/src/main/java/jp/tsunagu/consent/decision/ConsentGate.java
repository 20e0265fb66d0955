package jp.tsunagu.consent.decision;

import io.vertx.core.Future;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Promise;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

/**
 * Answers "may service S have item I of citizen C for purpose P now?", one per member (node).
 *
 * <p>Decisions come from a per-member cache of {@link ConsentSnapshot}s keyed by link. The cache
 * is kept correct against concurrent invalidation by identity: a miss places a fresh
 * {@code Pending} marker for the link, reads the ledger, and installs the result with an atomic
 * {@code replace(key, marker, entry)}. An invalidation removes the link's entry whatever it is.
 * So a read that began before an invalidation can never be installed after it, and every decision
 * that starts after an invalidation has completed on this member is based on a ledger read that
 * started after the change committed.
 *
 * <p>Concurrent misses for one link share the read of the marker they find in the cache. That is
 * safe for the same reason: a marker still in the cache has not been removed by an invalidation,
 * so either its read started after the last completed invalidation, or the change being
 * invalidated has not yet returned to its caller.
 */
public final class ConsentGate implements DecisionCacheListener {
  private final DecisionRepository repository;
  private final Clock clock;
  private final GateOptions options;
  private final long maxAgeMillis;
  /**
   * Bounded by Caffeine (W-TinyLFU eviction, maintenance on the calling thread so the bound holds
   * at once). Evicting an entry, or a marker, is always safe: it only costs a reload.
   */
  private final ConcurrentMap<ConsentKey, Object> cache;

  public ConsentGate(DecisionRepository repository, Clock clock, GateOptions options) {
    this.repository = repository;
    this.clock = clock;
    this.options = options;
    this.maxAgeMillis = options.maxAge().toMillis();
    this.cache = Caffeine.newBuilder().maximumSize(options.maxEntries()).executor(Runnable::run)
        .<ConsentKey, Object>build().asMap();
  }

  /** The decision for one item. */
  public Future<Decision> decide(ConsentKey key, String item, String purpose) {
    Decision cached = decideIfCached(key, item, purpose);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return snapshot(key).map(s -> s.evaluate(item, purpose, clock.millis()));
  }

  public Future<Decision> decide(String tenantId, String citizenId, String serviceId, String item, String purpose) {
    return decide(new ConsentKey(tenantId, citizenId, serviceId), item, purpose);
  }

  /** The decision for each of {@code items}, all from the same snapshot. */
  public Future<Map<String, Decision>> decideItems(ConsentKey key, Set<String> items, String purpose) {
    return snapshot(key).map(s -> {
      long now = clock.millis();
      Map<String, Decision> decisions = new HashMap<>();
      items.forEach(item -> decisions.put(item, s.evaluate(item, purpose, now)));
      return decisions;
    });
  }

  /**
   * The link's snapshot, from this member's cache or one ledger read, with the same guarantees as a
   * decision: what a caller shows or decides from it (a consent page skipped because consent is in
   * force) agrees with what the gate will decide for the link's items next.
   */
  public Future<ConsentSnapshot> snapshotOf(ConsentKey key) {
    return snapshot(key);
  }

  /** The decision from the cache, or null when the link is not cached (the caller then calls decide). */
  public Decision decideIfCached(ConsentKey key, String item, String purpose) {
    long now = clock.millis();
    if (cache.get(key) instanceof Cached c && now - c.loadedAtMillis < maxAgeMillis) {
      return c.snapshot.evaluate(item, purpose, now);
    }
    return null;
  }

  @Override
  public void invalidateLocally(Invalidation invalidation) {
    switch (invalidation) {
      case Invalidation.Link link -> cache.remove(link.key());
      case Invalidation.Service s -> cache.keySet()
          .removeIf(k -> k.serviceId().equals(s.serviceId()) && k.tenantId().equals(s.tenantId()));
      case Invalidation.All all -> cache.clear();
    }
  }

  /** Number of links cached or being loaded. */
  public int cachedLinks() {
    return cache.size();
  }

  private Future<ConsentSnapshot> snapshot(ConsentKey key) {
    long now = clock.millis();
    while (true) {
      Object current = cache.get(key);
      if (current instanceof Cached c && now - c.loadedAtMillis < maxAgeMillis) {
        return Future.succeededFuture(c.snapshot);
      }
      if (current instanceof Pending p) {
        return p.result.future();
      }
      Pending pending = new Pending();
      boolean claimed = current == null
          ? cache.putIfAbsent(key, pending) == null
          : cache.replace(key, current, pending);
      if (claimed) {
        return load(key, pending);
      }
    }
  }

  private Future<ConsentSnapshot> load(ConsentKey key, Pending pending) {
    repository.snapshot(key).onComplete(loaded -> {
      if (loaded.succeeded()) {
        install(key, pending, new Cached(loaded.result(), clock.millis()));
      } else {
        cache.remove(key, pending);
      }
      pending.result.handle(loaded);
    });
    return pending.result.future();
  }

  private void install(ConsentKey key, Object marker, Cached entry) {
    cache.replace(key, marker, entry);
  }

  /** A load in progress; compared by identity. */
  private static final class Pending {
    final Promise<ConsentSnapshot> result = Promise.promise();
  }

  /** A loaded snapshot; compared by identity. */
  private static final class Cached {
    final ConsentSnapshot snapshot;
    final long loadedAtMillis;

    Cached(ConsentSnapshot snapshot, long loadedAtMillis) {
      this.snapshot = snapshot;
      this.loadedAtMillis = loadedAtMillis;
    }
  }
}

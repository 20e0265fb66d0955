package jp.tsunagu.platform.sitesearch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import jp.tsunagu.platform.content.ContentAddresses;
import jp.tsunagu.platform.content.ContentPage;
import jp.tsunagu.platform.content.ContentRepository;
import jp.tsunagu.platform.content.FacilityRepository;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.search.index.RebuildProgress;
import jp.tsunagu.search.page.Page;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds of this node's indexes from PostgreSQL without downtime. A request is published to
 * every node; each one notes the newest change id, streams every public page (in chunks, by id)
 * into a new index generation while searches and change application continue on the live one,
 * then swaps. Progress goes to {@code search_rebuild} every half second, one row per node, where
 * staff read it.
 */
public final class IndexRebuilds {
  private static final Logger LOG = LoggerFactory.getLogger(IndexRebuilds.class);
  private static final int CHUNK = 500;

  private final Vertx vertx;
  private final Pool pool;
  private final ContentRepository content;
  private final FacilityRepository facilities;
  private final SearchIndexes indexes;
  private final String nodeId;
  private final AtomicBoolean running = new AtomicBoolean();
  private MessageConsumer<JsonObject> consumer;

  public IndexRebuilds(Vertx vertx, Pool pool, ContentRepository content, FacilityRepository facilities,
                       SearchIndexes indexes, String nodeId) {
    this.vertx = vertx;
    this.pool = pool;
    this.content = content;
    this.facilities = facilities;
    this.indexes = indexes;
    this.nodeId = nodeId;
  }

  /** Listens for rebuild requests. */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(ContentAddresses.INDEX_REBUILD_REQUESTED, message -> {
      JsonObject body = message.body();
      String by = body.getString("requestedBy");
      run(UUID.fromString(body.getString("requestId")), by == null ? null : UUID.fromString(by))
          .onFailure(err -> LOG.warn("index rebuild {} failed: {}", body.getString("requestId"), err.toString()));
    });
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister().recover(e -> Future.succeededFuture());
  }

  /** Asks every node to rebuild; returns the request id under which their progress appears. */
  public UUID request(UUID staffId) {
    UUID requestId = UUID.randomUUID();
    vertx.eventBus().publish(ContentAddresses.INDEX_REBUILD_REQUESTED, new JsonObject()
        .put("requestId", requestId.toString()).put("requestedBy", staffId == null ? null : staffId.toString()));
    return requestId;
  }

  public boolean running() {
    return running.get();
  }

  /** Rebuilds this node's indexes; fails with 409 when a rebuild is running here already. */
  public Future<Void> run(UUID requestId, UUID requestedBy) {
    if (!running.compareAndSet(false, true)) {
      return Future.failedFuture(ProblemException.conflict("rebuild-running", "A rebuild is running on this node already"));
    }
    UUID id = UUID.randomUUID();
    return Future.all(content.latestChange(), content.countLive())
        .compose(all -> {
          long sequence = all.resultAt(0);
          long total = all.resultAt(1);
          RebuildProgress progress = new RebuildProgress(total);
          return pool.preparedQuery("INSERT INTO search_rebuild (id, request_id, node_id, requested_by, total, sequence) "
                  + "VALUES ($1, $2, $3, $4, $5, $6)").execute(Tuple.of(id, requestId, nodeId, requestedBy, total, sequence))
              .compose(r -> {
                long timer = vertx.setPeriodic(500, t -> report(id, progress));
                return facilities.everything()
                    .compose(list -> indexes.rebuild(() -> {
                      indexes.pages().rebuild(pages(), sequence, progress);
                      indexes.facilities().rebuild(list.stream(), sequence, new RebuildProgress(list.size()));
                      return null;
                    }))
                    .eventually(() -> {
                      vertx.cancelTimer(timer);
                      return Future.succeededFuture();
                    })
                    .compose(v -> finish(id, progress, null), err -> finish(id, progress, err.getMessage())
                        .compose(x -> Future.failedFuture(err)));
              });
        })
        .<Void>mapEmpty()
        .eventually(() -> {
          running.set(false);
          return Future.succeededFuture();
        });
  }

  /** The rebuilds of the latest requests, newest first, one row per node. */
  public Future<List<JsonObject>> recent(int limit) {
    return pool.preparedQuery("SELECT * FROM search_rebuild ORDER BY started_at DESC, node_id LIMIT $1").execute(Tuple.of(limit))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row r : rows) {
            long total = r.getLong("total");
            long done = r.getLong("done");
            out.add(new JsonObject().put("requestId", r.getUUID("request_id").toString()).put("nodeId", r.getString("node_id"))
                .put("startedAt", r.getOffsetDateTime("started_at").toString()).put("total", total).put("done", done)
                .put("percent", total <= 0 ? (r.getOffsetDateTime("finished_at") == null ? 0 : 100) : Math.min(100, done * 100 / total))
                .put("finishedAt", r.getOffsetDateTime("finished_at") == null ? null : r.getOffsetDateTime("finished_at").toString())
                .put("error", r.getString("error")));
          }
          return out;
        });
  }

  private void report(UUID id, RebuildProgress progress) {
    pool.preparedQuery("UPDATE search_rebuild SET done = $2 WHERE id = $1 AND finished_at IS NULL")
        .execute(Tuple.of(id, progress.done()))
        .onFailure(err -> LOG.debug("rebuild progress not recorded: {}", err.getMessage()));
  }

  private Future<Void> finish(UUID id, RebuildProgress progress, String error) {
    return pool.preparedQuery("UPDATE search_rebuild SET done = $2, finished_at = now(), error = $3 WHERE id = $1")
        .execute(Tuple.of(id, progress.done(), error)).mapEmpty();
  }

  /** Every public page, read from PostgreSQL in chunks as the rebuild consumes them (on the rebuild thread). */
  private Stream<Page> pages() {
    Iterator<Page> iterator = new Iterator<>() {
      private List<ContentPage> chunk = List.of();
      private int next;
      private UUID last;
      private boolean exhausted;

      @Override
      public boolean hasNext() {
        if (next < chunk.size()) {
          return true;
        }
        if (exhausted) {
          return false;
        }
        chunk = blocking(content.livePagesAfter(last, CHUNK));
        next = 0;
        exhausted = chunk.size() < CHUNK;
        if (!chunk.isEmpty()) {
          last = chunk.get(chunk.size() - 1).id();
        }
        return !chunk.isEmpty();
      }

      @Override
      public Page next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return chunk.get(next++).toIndexPage();
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  private static <T> T blocking(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("rebuild interrupted", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("reading pages for the rebuild failed", e);
    }
  }
}

package jp.tsunagu.platform.sitesearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.platform.http.ProblemException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's search queue is bounded: with every search worker busy and the queue full, one more
 * search is refused at once as a 503 with Retry-After, and once the searches before it have answered
 * the node takes searches again. Real indexes on disk and a real worker pool.
 */
class SearchQueueTest {
  @TempDir Path dir;
  Vertx vertx;
  SearchIndexes indexes;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    // one worker and room for two searches: one running, one waiting for the worker
    indexes = SearchIndexes.open(vertx, dir, 1, 2).await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    indexes.close().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void aSearchBeyondTheQueueIsRefusedAtOnceAndTheNodeRecovers() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Long> first = indexes.query(() -> {
      running.countDown();
      assertTrue(release.await(30, TimeUnit.SECONDS));
      return indexes.pages().count();
    });
    assertTrue(running.await(30, TimeUnit.SECONDS), "the first search runs");
    Future<Long> second = indexes.query(() -> indexes.pages().count());
    assertEquals(2, indexes.accepted());

    Future<Long> third = indexes.query(() -> indexes.pages().count());
    assertTrue(third.failed(), "refused without waiting");
    assertInstanceOf(SearchIndexes.Busy.class, third.cause());
    assertEquals(2, indexes.accepted(), "a refused search takes no place in the queue");
    assertTrue(!first.isComplete() && !second.isComplete());

    ProblemException problem = assertInstanceOf(ProblemException.class,
        SearchService.problem(third.cause()).cause());
    assertEquals(503, problem.status());
    assertEquals("search-busy", problem.type());
    assertEquals(1L, problem.extensions().getLong("retryAfter"));

    release.countDown();
    assertEquals(0L, first.await(30, TimeUnit.SECONDS));
    assertEquals(0L, second.await(30, TimeUnit.SECONDS));
    assertEquals(0, indexes.accepted(), "answered searches leave the queue");
    assertEquals(0L, indexes.query(() -> indexes.pages().count()).await(30, TimeUnit.SECONDS));
  }

  @Test
  void aFailedSearchLeavesTheQueueToo() throws Exception {
    for (int i = 0; i < 5; i++) {
      Future<Object> failed = indexes.query(() -> {
        throw new IllegalStateException("index failure");
      });
      try {
        failed.await(30, TimeUnit.SECONDS);
      } catch (IllegalStateException expected) {
        // the search's own failure, not a refusal
      }
      assertInstanceOf(IllegalStateException.class, failed.cause());
    }
    assertEquals(0, indexes.accepted());
  }
}

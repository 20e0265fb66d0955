package jp.tsunagu.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.platform.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node's PostgreSQL pools, one per event loop, against a real PostgreSQL. */
class EventLoopPoolsIT {
  Vertx vertx;
  EventLoopPools pools;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    pools = (EventLoopPools) TestDatabase.fresh().pool(vertx, 8);
  }

  @AfterEach
  void close() throws Exception {
    pools.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Runs {@code work} on {@code context} and returns what it returns, with the thread its result arrived on. */
  private static <T> Future<Arrived<T>> on(Context context, java.util.function.Supplier<Future<T>> work) {
    Promise<Arrived<T>> done = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
      } else {
        done.complete(new Arrived<>(ar.result(), Thread.currentThread().getName()));
      }
    }));
    return done.future();
  }

  record Arrived<T>(T value, String thread) {}

  @Test
  void eachEventLoopsStatementsRunOnItsOwnConnectionsAndAnswerOnTheLoop() throws Exception {
    // contexts of the event loops in turn: with two loops, these two are on different ones
    Context first = ((VertxInternal) vertx).createEventLoopContext();
    Context second = ((VertxInternal) vertx).createEventLoopContext();
    String firstThread = on(first, () -> Future.succeededFuture(0)).await(10, TimeUnit.SECONDS).thread();
    String secondThread = on(second, () -> Future.succeededFuture(0)).await(10, TimeUnit.SECONDS).thread();
    assertNotEquals(firstThread, secondThread, "two contexts on two event loops");

    // many statements at once from each loop, more than a loop's pool has connections
    Set<Integer> firstBackends = new HashSet<>();
    Set<Integer> secondBackends = new HashSet<>();
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      all.add(on(first, () -> backend(pools)).onSuccess(a -> {
        assertEquals(firstThread, a.thread());
        synchronized (firstBackends) {
          firstBackends.add(a.value());
        }
      }));
      all.add(on(second, () -> backend(pools)).onSuccess(a -> {
        assertEquals(secondThread, a.thread());
        synchronized (secondBackends) {
          secondBackends.add(a.value());
        }
      }));
    }
    Future.all(all).await(30, TimeUnit.SECONDS);
    assertEquals(2, pools.loops());
    assertTrue(!firstBackends.isEmpty() && firstBackends.size() <= Database.perLoop(8, 2), firstBackends.toString());
    assertTrue(!secondBackends.isEmpty() && secondBackends.size() <= Database.perLoop(8, 2), secondBackends.toString());
    Set<Integer> shared = new HashSet<>(firstBackends);
    shared.retainAll(secondBackends);
    assertTrue(shared.isEmpty(), "no connection serves both loops: " + shared);
    assertTrue(pools.size() <= 2 * Database.perLoop(8, 2), "connections open: " + pools.size());
  }

  @Test
  void transactionsStayOnTheirLoopAndCodeOutsideVertxHasItsOwnPool() throws Exception {
    Context context = ((VertxInternal) vertx).createEventLoopContext();
    pools.query("CREATE SCHEMA IF NOT EXISTS core; CREATE TABLE core.t (n int)").execute().await(10, TimeUnit.SECONDS);
    Arrived<Integer> tx = on(context, () -> pools.withTransaction(c -> c.query("INSERT INTO t VALUES (1)").execute()
            .compose(r -> c.query("SELECT pg_backend_pid()").execute()))
        .map(rows -> rows.iterator().next().getInteger(0))).await(10, TimeUnit.SECONDS);
    String loopThread = on(context, () -> Future.succeededFuture(0)).await(10, TimeUnit.SECONDS).thread();
    assertEquals(loopThread, tx.thread());
    // a failed transaction leaves nothing behind
    on(context, () -> pools.withTransaction(c -> c.query("INSERT INTO t VALUES (2)").execute()
        .compose(r -> c.query("SELECT 1/0").execute()))).otherwise(e -> null).await(10, TimeUnit.SECONDS);
    assertEquals(1L, count(pools));
    // this thread is no Vert.x thread: the statement goes through the pool for code outside Vert.x
    int outside = backend(pools).await(10, TimeUnit.SECONDS);
    Integer onLoop = on(context, () -> backend(pools)).await(10, TimeUnit.SECONDS).value();
    assertNotEquals(outside, onLoop.intValue(), "the loop's connection is not lent to code outside Vert.x");
    assertEquals(tx.value(), onLoop, "the loop's one connection in use so far served its transaction too");
  }

  private static Future<Integer> backend(Pool pool) {
    return pool.query("SELECT pg_backend_pid()").execute().map(rows -> rows.iterator().next().getInteger(0));
  }

  private static long count(Pool pool) throws Exception {
    return pool.query("SELECT count(*) FROM t").execute().await(10, TimeUnit.SECONDS).iterator().next().getLong(0);
  }
}

package jp.tsunagu.platform.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.platform.http.ProblemException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The password workers' queue is bounded: with the workers busy and the queue full, one more hash
 * or check is refused at once as a 503 with Retry-After, and the node takes them again once the
 * ones before have finished. A real worker pool and real Argon2id.
 */
class PasswordQueueTest {
  Vertx vertx;
  WorkerExecutor workers;
  PasswordHasher hasher;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    workers = vertx.createSharedWorkerExecutor("password-queue-test", 1);
    hasher = new PasswordHasher(workers, 1024, 1, 1).withQueueLimit(2);
  }

  @AfterEach
  void stop() throws Exception {
    workers.close().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void aCheckBeyondTheQueueIsRefusedAtOnceAndTheNodeRecovers() throws Exception {
    String stored = hasher.hashBlocking("正しいパスワード");
    // the only worker is held by other work, so the checks below wait in the queue
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Boolean> holder = workers.executeBlocking(() -> {
      running.countDown();
      return release.await(30, TimeUnit.SECONDS);
    }, false);
    assertTrue(running.await(30, TimeUnit.SECONDS));

    Future<Boolean> right = hasher.verify("正しいパスワード", stored);
    Future<Boolean> wrong = hasher.verify("違う", stored);
    assertEquals(2, hasher.accepted());
    Future<String> third = hasher.hash("もう一つ");
    assertTrue(third.failed(), "refused without waiting");
    ProblemException p = assertInstanceOf(ProblemException.class, third.cause());
    assertEquals(503, p.status());
    assertEquals("password-busy", p.type());
    assertEquals(1L, p.extensions().getLong("retryAfter"));
    assertTrue(PasswordHasher.busy(p));
    assertFalse(PasswordHasher.busy(ProblemException.tooManyRequests(60)));
    assertEquals(2, hasher.accepted(), "a refused check takes no place in the queue");

    release.countDown();
    assertTrue(holder.await(30, TimeUnit.SECONDS));
    assertTrue(right.await(30, TimeUnit.SECONDS));
    assertFalse(wrong.await(30, TimeUnit.SECONDS));
    assertEquals(0, hasher.accepted(), "finished checks leave the queue");
    assertTrue(PasswordHasher.verifyBlocking("もう一つ", hasher.hash("もう一つ").await(30, TimeUnit.SECONDS)));
    assertEquals(0, hasher.accepted());
  }
}

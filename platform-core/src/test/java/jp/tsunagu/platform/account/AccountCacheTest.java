package jp.tsunagu.platform.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagu.platform.account.AccountRepository.AccountWithResidence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The node-local account cache on a local (non-clustered) Vert.x: what it stores, and what it refuses to. */
class AccountCacheTest {
  final Vertx vertx = Vertx.vertx();
  final UUID id = UUID.randomUUID();
  final AtomicInteger loads = new AtomicInteger();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  AccountCache cache(List<String> members) {
    return new AccountCache(vertx, () -> members, 100, Duration.ofMinutes(5), Duration.ofSeconds(2));
  }

  Future<Optional<AccountWithResidence>> load(UUID key) {
    loads.incrementAndGet();
    return Future.succeededFuture(Optional.of(account(key, "name " + loads.get())));
  }

  static AccountWithResidence account(UUID key, String name) {
    return new AccountWithResidence(new Account(key, "a@example.jp", true, null, name, "ja", 1,
        OffsetDateTime.now()), Optional.empty());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aLoadedAccountIsServedFromMemoryUntilInvalidated() throws Exception {
    AccountCache cache = cache(List.of());
    assertEquals("name 1", await(cache.get(id, this::load)).orElseThrow().account().displayName());
    assertEquals("name 1", await(cache.get(id, this::load)).orElseThrow().account().displayName());
    assertEquals(1, loads.get());

    await(cache.invalidate(id));
    assertEquals("name 2", await(cache.get(id, this::load)).orElseThrow().account().displayName());
    assertEquals(2, loads.get());
  }

  @Test
  void aReadOvertakenByAnInvalidationDoesNotPutItsOlderValueBack() throws Exception {
    AccountCache cache = cache(List.of());
    Promise<Optional<AccountWithResidence>> slowRead = Promise.promise();
    Future<Optional<AccountWithResidence>> first = cache.get(id, key -> slowRead.future());
    cache.invalidateLocally(id); // the change committed after the read began
    slowRead.complete(Optional.of(account(id, "before the change")));
    assertEquals("before the change", await(first).orElseThrow().account().displayName());

    assertEquals("name 1", await(cache.get(id, this::load)).orElseThrow().account().displayName(), "read again, not the stale copy");
    assertEquals(1, loads.get());
  }

  @Test
  void invalidationWaitsForEveryListeningMemberAndSkipsMembersWithoutACache() throws Exception {
    AccountCache here = cache(List.of("member-a", "member-b", "member-still-starting"));
    AccountCache other = cache(List.of());
    await(here.listen("member-a"));
    await(other.listen("member-b"));
    await(other.get(id, this::load));
    assertEquals(1, other.size());

    await(here.invalidate(id));
    assertEquals(0, other.size(), "the other member dropped it before invalidate returned");
  }

  @Test
  void anAbsentAccountIsRememberedAsAbsent() throws Exception {
    AccountCache cache = cache(List.of());
    Future<Optional<AccountWithResidence>> gone = cache.get(id, key -> {
      loads.incrementAndGet();
      return Future.succeededFuture(Optional.empty());
    });
    assertTrue(await(gone).isEmpty());
    assertTrue(await(cache.get(id, this::load)).isEmpty());
    assertEquals(1, loads.get());
  }
}

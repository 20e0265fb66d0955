package jp.tsunagu.platform.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import jp.tsunagu.platform.account.AccountRepository.AccountWithResidence;

/**
 * This node's copy of recently used accounts with their residence, so that a signed-in request
 * (which checks the session's security stamp against the account) needs no database read.
 *
 * <p>Every change to an account or its residence is committed first and then invalidated on
 * <em>every</em> node: one event-bus request to each member's address
 * {@code tsunagu.account-cache.<memberId>}, and the change's call completes only when all have
 * answered. So once a password change returns, no node accepts the old session any more. A
 * member that does not answer in time makes the invalidation fail (the change stays committed);
 * entries also expire after {@code maxAge}, which bounds how long such a member can be stale.
 *
 * <p>A read that started before an invalidation must not put its older value back afterwards:
 * each load notes the invalidation count before it reads and stores its result only if no
 * invalidation happened on this node meanwhile.
 */
public final class AccountCache {
  static final String ADDRESS_PREFIX = "tsunagu.account-cache.";

  private final Vertx vertx;
  private final Supplier<? extends Collection<String>> members;
  private final DeliveryOptions options;
  private final Cache<UUID, Optional<AccountWithResidence>> entries;
  private final AtomicLong invalidations = new AtomicLong();

  public AccountCache(Vertx vertx, Supplier<? extends Collection<String>> members, long maxEntries, Duration maxAge,
                      Duration invalidationTimeout) {
    this.vertx = vertx;
    this.members = members;
    this.options = new DeliveryOptions().setSendTimeout(invalidationTimeout.toMillis());
    // eviction runs on the calling thread: a few map operations, no hand-off to a shared pool
    this.entries = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(maxAge).executor(Runnable::run).build();
  }

  /** Listens for invalidations addressed to this member; serve from the cache only once it completes. */
  public Future<MessageConsumer<String>> listen(String memberId) {
    MessageConsumer<String> consumer = vertx.eventBus().consumer(ADDRESS_PREFIX + memberId, message -> {
      invalidateLocally(UUID.fromString(message.body()));
      message.reply(null);
    });
    return consumer.completion().map(consumer);
  }

  /** The cached account, or {@code load}'s answer (stored unless an invalidation overtook it). */
  Future<Optional<AccountWithResidence>> get(UUID id, Function<UUID, Future<Optional<AccountWithResidence>>> load) {
    Optional<AccountWithResidence> cached = entries.getIfPresent(id);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    long before = invalidations.get();
    return load.apply(id).onSuccess(loaded -> {
      if (invalidations.get() == before) {
        entries.put(id, loaded);
      }
    });
  }

  /** Drops the account on every node; completes when every member has confirmed. */
  public Future<Void> invalidate(UUID id) {
    invalidateLocally(id);
    List<Future<Void>> replies = members.get().stream()
        .map(member -> vertx.eventBus().request(ADDRESS_PREFIX + member, id.toString(), options)
            .<Void>mapEmpty()
            .recover(AccountCache::noConsumerMeansNoCache))
        .toList();
    return Future.all(replies).mapEmpty();
  }

  void invalidateLocally(UUID id) {
    invalidations.incrementAndGet();
    entries.invalidate(id);
  }

  long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }

  /** A member still starting (no consumer yet) has nothing cached. */
  private static Future<Void> noConsumerMeansNoCache(Throwable failure) {
    if (failure instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(failure);
  }
}

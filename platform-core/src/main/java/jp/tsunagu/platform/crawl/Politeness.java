package jp.tsunagu.platform.crawl;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.Serial;
import java.io.Serializable;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One request at a time to a host across the whole cluster, and a pause (the larger of ours and
 * the host's Crawl-delay) between the end of one answer and the next request, whichever node
 * sends it.
 *
 * <p>Each host has an entry in a Hazelcast map: who holds its turn (until when) and when the next
 * turn may start. Taking and giving back a turn are entry processors run on the entry's owner,
 * with the owner's clock, so two nodes never both hold a host and clock differences between nodes
 * do not matter. A node that dies holding a turn loses it when the hold runs out ({@code
 * holdMillis}: longer than any one request may take). A node that has to wait asks again when
 * the pause ends, or every {@value #POLL_MILLIS} ms while another node's request is in flight.
 */
final class Politeness {
  /** Hazelcast map of host turns; entries expire an hour after their last change. */
  static final String MAP = "tsunagu.crawl-hosts";
  static final long POLL_MILLIS = 50;

  private final Vertx vertx;
  private final IMap<String, HostTurn> hosts;
  private final long holdMillis;

  Politeness(Vertx vertx, IMap<String, HostTurn> hosts, long holdMillis) {
    this.vertx = vertx;
    this.hosts = hosts;
    this.holdMillis = holdMillis;
  }

  /** Sends the request when the host's turn comes, and gives the turn back when it is answered (or failed). */
  <T> Future<T> politely(String host, long delayMillis, Supplier<Future<T>> request) {
    String holder = UUID.randomUUID().toString();
    return take(host, holder).compose(v -> {
      Future<T> sent;
      try {
        sent = request.get();
      } catch (RuntimeException e) {
        sent = Future.failedFuture(e);
      }
      return sent.transform(answer -> release(host, holder, delayMillis)
          .transform(released -> answer.succeeded() ? Future.succeededFuture(answer.result())
              : Future.failedFuture(answer.cause())));
    });
  }

  private Future<Void> take(String host, String holder) {
    return stage(hosts.submitToKey(host, new Take(holder, holdMillis))).compose(wait -> {
      if (wait == 0) {
        return Future.succeededFuture();
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(wait, t -> take(host, holder).onComplete(later));
      return later.future();
    });
  }

  private Future<Void> release(String host, String holder, long delayMillis) {
    return stage(hosts.submitToKey(host, new Release(holder, delayMillis))).mapEmpty();
  }

  private <T> Future<T> stage(CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
  }

  /**
   * A host's turn: held by {@code holder} until {@code heldUntil} (epoch ms of the owner's clock,
   * 0 when free); the next turn starts no earlier than {@code nextAt}.
   */
  record HostTurn(String holder, long heldUntil, long nextAt) implements Serializable {}

  /** Takes the turn if it is free and due; otherwise answers how long to wait (ms), changing nothing. */
  record Take(String holder, long holdMillis) implements EntryProcessor<String, HostTurn, Long>, Serializable {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public Long process(Map.Entry<String, HostTurn> entry) {
      long now = System.currentTimeMillis();
      HostTurn turn = entry.getValue();
      if (turn != null && turn.heldUntil() > now && !turn.holder().equals(holder)) {
        return Math.max(1, Math.min(POLL_MILLIS, turn.heldUntil() - now));
      }
      if (turn != null && turn.nextAt() > now) {
        return turn.nextAt() - now;
      }
      entry.setValue(new HostTurn(holder, now + holdMillis, turn == null ? 0 : turn.nextAt()));
      return 0L;
    }
  }

  /** Gives the turn back (if still held by this holder): the next one starts the delay from now. */
  record Release(String holder, long delayMillis) implements EntryProcessor<String, HostTurn, Boolean>, Serializable {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public Boolean process(Map.Entry<String, HostTurn> entry) {
      HostTurn turn = entry.getValue();
      if (turn == null || !holder.equals(turn.holder())) {
        return false;
      }
      entry.setValue(new HostTurn("", 0, Math.max(turn.nextAt(), System.currentTimeMillis() + delayMillis)));
      return true;
    }
  }
}

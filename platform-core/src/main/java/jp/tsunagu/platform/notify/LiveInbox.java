package jp.tsunagu.platform.notify;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jp.tsunagu.platform.http.Auth;

/**
 * The citizen's live inbox as server-sent events ({@code text/event-stream}). The connection's
 * node consumes the citizen's address on the clustered event bus ({@link NotifyAddresses#inbox}),
 * so a notification matched on any node reaches the browser on this one. A reconnecting browser
 * sends {@code Last-Event-ID} and gets what it missed from PostgreSQL first; ids only grow, so
 * nothing is sent twice on one connection. A comment every 20 s keeps proxies from closing it.
 */
public final class LiveInbox {
  private static final long HEARTBEAT_MILLIS = 20_000;
  private static final int REPLAY = 100;

  private final Vertx vertx;
  private final InboxRepository inbox;
  private final Auth auth;
  private final AtomicInteger open = new AtomicInteger();

  LiveInbox(Vertx vertx, InboxRepository inbox, Auth auth) {
    this.vertx = vertx;
    this.inbox = inbox;
    this.auth = auth;
  }

  /** Live connections on this node. */
  public int connections() {
    return open.get();
  }

  public void stream(RoutingContext ctx) {
    auth.citizen(ctx).onFailure(ctx::fail).onSuccess(account -> open(ctx, account.id()));
  }

  private void open(RoutingContext ctx, UUID accountId) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
        .putHeader("X-Accel-Buffering", "no");
    AtomicLong sent = new AtomicLong(lastEventId(ctx));
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(NotifyAddresses.inbox(accountId),
        m -> send(response, sent, m.body()));
    long heartbeat = vertx.setPeriodic(HEARTBEAT_MILLIS, id -> {
      if (!response.ended() && !response.closed()) {
        response.write(": ping\n\n");
      }
    });
    open.incrementAndGet();
    response.closeHandler(v -> {
      open.decrementAndGet();
      vertx.cancelTimer(heartbeat);
      consumer.unregister();
    });
    long replayFrom = sent.get();
    consumer.completion()
        .compose(v -> {
          response.write("retry: 3000\n: ready\n\n");
          return replayFrom > 0 ? inbox.after(accountId, replayFrom, REPLAY) : io.vertx.core.Future.succeededFuture(new JsonArray());
        })
        .onSuccess(missed -> missed.forEach(n -> send(response, sent, (JsonObject) n)))
        .onFailure(err -> response.reset());
  }

  private static void send(HttpServerResponse response, AtomicLong sent, JsonObject notification) {
    long id = notification.getLong("id");
    if (response.ended() || response.closed() || id <= sent.get()) {
      return;
    }
    sent.set(id);
    response.write("id: " + id + "\nevent: notification\ndata: " + notification.encode() + "\n\n");
  }

  private static long lastEventId(RoutingContext ctx) {
    String header = ctx.request().getHeader("Last-Event-ID");
    try {
      return header == null ? 0 : Math.max(0, Long.parseLong(header.strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}

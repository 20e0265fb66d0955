package jp.tsunagu.platform.notify;

import io.vertx.core.Vertx;
import io.vertx.core.Context;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import jp.tsunagu.platform.http.Auth;

/**
 * The citizen's live inbox as server-sent events ({@code text/event-stream}). The stream joins this
 * node's {@link LiveConnections}, which hear of every notice once per notice from whichever node
 * wrote it and pick their own citizens. A reconnecting browser sends {@code Last-Event-ID} and gets
 * what it missed from PostgreSQL first; a stream never writes an id it wrote already (or a lower
 * one), so nothing is sent twice on one connection. A comment every 20 s keeps proxies from closing it.
 */
public final class LiveInbox {
  private static final long HEARTBEAT_MILLIS = 20_000;
  private static final int REPLAY = 100;

  private final Vertx vertx;
  private final InboxRepository inbox;
  private final LiveConnections connections;
  private final Auth auth;

  LiveInbox(Vertx vertx, InboxRepository inbox, LiveConnections connections, Auth auth) {
    this.vertx = vertx;
    this.inbox = inbox;
    this.connections = connections;
    this.auth = auth;
  }

  /** Live connections on this node. */
  public int connections() {
    return connections.count();
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
    Context context = vertx.getOrCreateContext();
    // live notifications that come while the missed ones are read wait for them (ids must go up)
    java.util.List<JsonObject> held = new java.util.ArrayList<>();
    boolean[] replaying = {true};
    LiveConnections.Stream stream = new LiveConnections.Stream() {
      @Override
      public Context context() {
        return context;
      }

      @Override
      public void send(JsonObject notification) {
        if (replaying[0]) {
          held.add(notification);
        } else {
          LiveInbox.send(response, sent, notification);
        }
      }
    };
    long heartbeat = vertx.setPeriodic(HEARTBEAT_MILLIS, id -> {
      if (!response.ended() && !response.closed()) {
        response.write(": ping\n\n");
      }
    });
    response.closeHandler(v -> {
      vertx.cancelTimer(heartbeat);
      connections.remove(accountId, stream);
    });
    long replayFrom = sent.get();
    connections.add(accountId, stream)
        .compose(v -> {
          response.write("retry: 3000\n: ready\n\n");
          return replayFrom > 0 ? inbox.after(accountId, replayFrom, REPLAY) : io.vertx.core.Future.succeededFuture(new JsonArray());
        })
        .onSuccess(missed -> {
          missed.forEach(n -> send(response, sent, (JsonObject) n));
          replaying[0] = false;
          held.stream().sorted(java.util.Comparator.comparingLong(n -> n.getLong("id"))).forEach(n -> send(response, sent, n));
          held.clear();
        })
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

package jp.tsunagu.platform.db;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A PostgreSQL pool made of one pool per event loop, each used only by the code running on its
 * own event loop, so a statement and its result never change threads.
 *
 * <p>A single Vert.x pool hands whichever connection is free to whoever waits first. Under load
 * a request on one event loop then gets a connection owned by another: the statement is handed to
 * that loop, which wakes up to write it, and the result is handed back, which wakes the first loop
 * again. Each of those hand-offs is a system call and a context switch, and on a node of two
 * cores they cost about as much as the statement's own encoding and decoding. Here each event
 * loop creates its connections on itself and keeps them to itself. Code that runs on no Vert.x
 * context (a Hazelcast callback thread) uses a pool of its own.
 *
 * <p>Transactions and {@code withConnection} keep their connection on the loop that opened them,
 * as before. Each pool has {@code perLoop} connections at most; pools are made when their loop
 * first asks, so loops that never touch the database hold no connection.
 */
public final class EventLoopPools implements Pool {
  private final Function<String, Pool> create;
  private final String name;
  private final Map<EventLoop, Pool> byLoop = new ConcurrentHashMap<>();
  /** Numbers the loops' pools: two loops asking for their first pool at once must not get one name (a shared pool). */
  private final java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
  private final Pool unbound;

  /**
   * @param create builds one pool (of the wanted size) under the name given; each name is new
   */
  public EventLoopPools(String name, Function<String, Pool> create) {
    this.name = name;
    this.create = create;
    this.unbound = create.apply(name + "-unbound");
  }

  /** The pool of the calling code's event loop. */
  Pool current() {
    Context context = Vertx.currentContext();
    if (!(context instanceof ContextInternal internal) || internal.nettyEventLoop() == null) {
      return unbound;
    }
    EventLoop loop = internal.nettyEventLoop();
    Pool pool = byLoop.get(loop);
    return pool != null ? pool : byLoop.computeIfAbsent(loop, l -> create.apply(name + "-" + made.getAndIncrement()));
  }

  /** How many event loops have a pool of their own (for tests). */
  int loops() {
    return byLoop.size();
  }

  @Override
  public Future<SqlConnection> getConnection() {
    return current().getConnection();
  }

  @Override
  public Query<RowSet<Row>> query(String sql) {
    return current().query(sql);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
    return current().preparedQuery(sql);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
    return current().preparedQuery(sql, options);
  }

  @Override
  public <T> Future<T> withTransaction(Function<SqlConnection, Future<T>> function) {
    return current().withTransaction(function);
  }

  @Override
  public <T> Future<T> withConnection(Function<SqlConnection, Future<T>> function) {
    return current().withConnection(function);
  }

  /** Connections open now, over every pool. */
  @Override
  public int size() {
    int size = unbound.size();
    for (Pool pool : byLoop.values()) {
      size += pool.size();
    }
    return size;
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    closing.add(unbound.close());
    byLoop.values().forEach(p -> closing.add(p.close()));
    return Future.join(closing).mapEmpty();
  }
}

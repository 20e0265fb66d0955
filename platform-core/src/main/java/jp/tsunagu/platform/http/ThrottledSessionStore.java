package jp.tsunagu.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.SessionStore;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * Wraps the cluster-wide session store so that a request which only reads its session does not
 * write it back. Vert.x Web stores the session after every request to refresh its last-access
 * time; here the write is skipped when the data is unchanged, the id was not regenerated, and the
 * stored copy was refreshed less than a tenth of the timeout ago. A session therefore expires
 * between 90 % and 100 % of the idle timeout after its last request, and a read-only request
 * costs one cluster read instead of a read and a write.
 */
public final class ThrottledSessionStore implements SessionStore {
  private final SessionStore delegate;
  private final Map<Session, Long> readState = Collections.synchronizedMap(new WeakHashMap<>());

  public ThrottledSessionStore(SessionStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public SessionStore init(Vertx vertx, JsonObject options) {
    delegate.init(vertx, options);
    return this;
  }

  @Override
  public long retryTimeout() {
    return delegate.retryTimeout();
  }

  @Override
  public Session createSession(long timeout) {
    return delegate.createSession(timeout);
  }

  @Override
  public Session createSession(long timeout, int length) {
    return delegate.createSession(timeout, length);
  }

  @Override
  public Future<Session> get(String id) {
    return delegate.get(id).onSuccess(session -> {
      if (session != null) {
        readState.put(session, fingerprint(session));
      }
    });
  }

  @Override
  public Future<Void> put(Session session) {
    Long read = readState.remove(session);
    if (read != null && !session.isRegenerated() && read == fingerprint(session)) {
      return Future.succeededFuture();
    }
    return delegate.put(session);
  }

  /** Data and the refresh slot of the last access: equal fingerprints need no write. */
  private static long fingerprint(Session session) {
    long slot = session.timeout() <= 0 ? 0 : session.lastAccessed() / Math.max(1, session.timeout() / 10);
    return 31L * Objects.hash(session.id(), session.data()) + slot;
  }

  @Override
  public Future<Void> delete(String id) {
    return delegate.delete(id);
  }

  @Override
  public Future<Void> clear() {
    return delegate.clear();
  }

  @Override
  public Future<Integer> size() {
    return delegate.size();
  }

  @Override
  public void close() {
    delegate.close();
  }
}

package jp.tsunagu.platform.oidc;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.platform.audit.AuditLog;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.security.Tokens;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.staff.StaffService;

/**
 * Registration of relying parties by a municipality's administrators. A client secret has 256
 * bits of entropy, is shown once and stored as its SHA-256 digest (a slow password hash adds
 * nothing to a random secret of that size, and would cap the token endpoint's throughput).
 */
public final class ClientService {
  private static final long CACHE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
  private final io.vertx.core.Vertx vertx;
  private final Pool pool;
  private final ClientRepository repository;
  private final ServiceConsent consent;
  /** Clients read by the token endpoint on every request; dropped on every node when one changes. */
  private final java.util.Map<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

  private record Cached(Optional<Client> client, long until) {}

  ClientService(io.vertx.core.Vertx vertx, Pool pool, ClientRepository repository, ServiceConsent consent) {
    this.vertx = vertx;
    this.pool = pool;
    this.repository = repository;
    this.consent = consent;
    vertx.eventBus().<String>consumer(OidcAddresses.CLIENT_CHANGED, msg -> cache.remove(msg.body()));
  }

  /** A client just registered, with its secret (the only time it is readable). */
  public record Registered(Client client, String secret) {}

  public Future<Registered> register(Staff actor, String tenantCode, JsonObject registration) {
    StaffService.authorise(actor, tenantCode, Role.TENANT_ADMIN);
    return register(actor, tenantCode, "c" + UUID.randomUUID().toString().replace("-", ""), registration, null);
  }

  /** Registers with a chosen id and, for a confidential client, a chosen secret (the demo service). */
  public Future<Registered> register(Staff actor, String tenantCode, String clientId, JsonObject registration, String fixedSecret) {
    String method = registration.getString("tokenEndpointAuthMethod", Client.BASIC);
    boolean secretBased = Client.BASIC.equals(method) || Client.POST.equals(method);
    String secret = secretBased ? (fixedSecret == null ? Tokens.urlToken() : fixedSecret) : null;
    Client client = ClientValidator.validate(clientId, tenantCode, registration, secret == null ? null : Tokens.sha256(secret));
    consent.check(client, registration);
    // the notice goes first: a service never exists without one (a notice of a client that then
    // failed to register names an id nobody holds)
    return consent.declare(client, registration).compose(notice -> pool.withTransaction(tx -> repository.insert(tx, client)
            .compose(v -> AuditLog.record(tx, tenantCode, actor.id(), "oidc-client.registered", "oidc_client", clientId,
                new JsonObject().put("name", client.name()).put("redirectUris", client.redirectUris())
                    .put("scopes", List.copyOf(client.scopes())).put("grantTypes", List.copyOf(client.grantTypes()))))))
        .compose(v -> changed(clientId))
        .compose(v -> repository.byId(clientId))
        .map(found -> new Registered(found.orElseThrow(), secret));
  }

  /** Publishes a new version of a client's notice (tenant admins); citizens consent again before data flows. */
  public Future<ServiceConsent.Notice> publishNotice(Staff actor, String tenantCode, String clientId, JsonObject notice) {
    return get(actor, tenantCode, clientId).compose(client -> {
      StaffService.authorise(actor, tenantCode, Role.TENANT_ADMIN);
      return consent.publish(client, notice).compose(n -> AuditLog.record(pool, tenantCode, actor.id(), "oidc-client.notice-published",
          "oidc_client", clientId, new JsonObject().put("noticeVersion", n.version())).map(n));
    });
  }

  /** The notice in force of a client (tenant admins, auditors). */
  public Future<ServiceConsent.Notice> notice(Staff actor, String tenantCode, String clientId) {
    return get(actor, tenantCode, clientId).compose(consent::notice);
  }

  /**
   * The services of a municipality a citizen can start linking to from the platform (those with
   * an initiate-login URI), by name.
   */
  public Future<List<Client>> linkable(String tenantCode) {
    return repository.byTenant(tenantCode).map(all -> all.stream().filter(c -> c.initiateLoginUri() != null)
        .sorted(java.util.Comparator.comparing(Client::name)).toList());
  }

  public Future<List<Client>> list(Staff actor, String tenantCode) {
    StaffService.authorise(actor, tenantCode, Role.TENANT_ADMIN, Role.AUDITOR);
    return repository.byTenant(tenantCode);
  }

  public Future<Client> get(Staff actor, String tenantCode, String clientId) {
    StaffService.authorise(actor, tenantCode, Role.TENANT_ADMIN, Role.AUDITOR);
    return repository.byId(clientId).compose(found -> found.filter(c -> c.tenantCode().equals(tenantCode)).isPresent()
        ? Future.succeededFuture(found.get())
        : Future.failedFuture(ProblemException.notFound("Client " + clientId)));
  }

  /**
   * Removes a client with its flows, grants and tokens, and withdraws (as the platform) every
   * consent given to it; removing one that is gone succeeds.
   */
  public Future<Void> delete(Staff actor, String tenantCode, String clientId) {
    StaffService.authorise(actor, tenantCode, Role.TENANT_ADMIN);
    return pool.withTransaction(tx -> repository.delete(tx, tenantCode, clientId)
        .compose(deleted -> deleted
            ? AuditLog.record(tx, tenantCode, actor.id(), "oidc-client.deleted", "oidc_client", clientId, new JsonObject())
            : Future.succeededFuture()))
        .compose(v -> changed(clientId))
        // what citizens agreed to with the service ends with it, and says so on their My data
        .compose(v -> consent.endService(tenantCode, clientId))
        .mapEmpty();
  }

  /** Drops the cached client here and tells every other node to drop it too. */
  private Future<Void> changed(String clientId) {
    cache.remove(clientId);
    vertx.eventBus().publish(OidcAddresses.CLIENT_CHANGED, clientId);
    return Future.succeededFuture();
  }

  /** The client, if registered (cached for 30 s; a change on any node drops it everywhere). */
  public Future<Optional<Client>> find(String clientId) {
    Cached hit = cache.get(clientId);
    long now = System.nanoTime();
    if (hit != null && hit.until() - now > 0) {
      return Future.succeededFuture(hit.client());
    }
    return repository.byId(clientId).onSuccess(found -> {
      if (cache.size() > 10_000) {
        cache.clear();
      }
      cache.put(clientId, new Cached(found, now + CACHE_NANOS));
    });
  }

  /** Compares a presented secret with the stored digest in constant time. */
  static boolean secretMatches(Client client, String presented) {
    return client.secretHash() != null && presented != null
        && MessageDigest.isEqual(client.secretHash(), Tokens.sha256(presented));
  }
}

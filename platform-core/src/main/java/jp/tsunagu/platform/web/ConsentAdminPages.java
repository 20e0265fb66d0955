package jp.tsunagu.platform.web;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.platform.circular.CircularService;
import jp.tsunagu.platform.consentlink.ClientConsents;
import jp.tsunagu.platform.consentlink.ConsentStatistics;
import jp.tsunagu.platform.oidc.ClientService;
import jp.tsunagu.platform.staff.Role;

/**
 * The staff console's consent page (/staff/t/:tenant/consents, tenant admins and auditors): for
 * each linked service of the municipality, how many citizens gave, refused or withdrew consent
 * (counts only), and for auditors the verification of every access log's hash chain.
 */
final class ConsentAdminPages {
  private static final List<String> STATES = List.of("given", "refused", "withdrawn", "expired", "superseded");
  private final Pool pool;
  private final ConsentModule consent;
  private final ClientService clients;
  private final CircularService circulars;
  private final StaffAccess access;
  private final View view;

  ConsentAdminPages(Pool pool, ConsentModule consent, ClientService clients, CircularService circulars, StaffAccess access, View view) {
    this.pool = pool;
    this.consent = consent;
    this.clients = clients;
    this.circulars = circulars;
    this.access = access;
    this.view = view;
  }

  void show(RoutingContext ctx) {
    render(ctx, null);
  }

  /** POST …/consents/verify — auditors check every chain; the page shows counts, never whose chain. */
  void verify(RoutingContext ctx) {
    access.scope(ctx, Role.AUDITOR).compose(scope -> consent.accessLog().verifyAll())
        .onSuccess(results -> {
          Map<String, Object> check = new HashMap<>();
          check.put("chains", results.size());
          check.put("entries", results.stream().mapToLong(r -> r.entriesChecked()).sum());
          check.put("broken", results.stream().filter(r -> !r.intact()).count());
          render(ctx, check);
        })
        .onFailure(ctx::fail);
  }

  private void render(RoutingContext ctx, Map<String, Object> check) {
    boolean en = "en".equals(Lang.of(ctx));
    access.scope(ctx, Role.TENANT_ADMIN, Role.AUDITOR).compose(scope -> ConsentStatistics.byService(pool, scope.tenant().code())
            .compose(counts -> names(counts).map(names -> {
              Map<String, Object> model = scope.model();
              List<Map<String, Object>> rows = new ArrayList<>();
              for (ConsentStatistics.ServiceCounts c : counts) {
                Map<String, Object> row = new HashMap<>();
                row.put("serviceId", c.serviceId());
                row.put("name", names.getOrDefault(c.serviceId(), c.serviceId()));
                STATES.forEach(s -> row.put(s, c.count(s)));
                rows.add(row);
              }
              model.put("services", rows);
              model.put("states", STATES);
              model.put("mayVerify", scope.may(Role.AUDITOR));
              if (check != null) {
                model.put("check", check);
              }
              return model;
            })))
        .onSuccess(model -> view.render(ctx, "staff/consents", model))
        .onFailure(ctx::fail);
  }

  /** Service names: a relying party's registered name, an association's name. */
  private Future<Map<String, String>> names(List<ConsentStatistics.ServiceCounts> counts) {
    Map<String, String> names = new ConcurrentHashMap<>();
    List<Future<?>> lookups = new ArrayList<>();
    for (ConsentStatistics.ServiceCounts c : counts) {
      ClientConsents.clientIdOf(c.serviceId()).ifPresent(id -> lookups.add(clients.find(id)
          .onSuccess(found -> found.ifPresent(client -> names.put(c.serviceId(), client.name())))));
      if (c.serviceId().startsWith("association:")) {
        lookups.add(circulars.association(java.util.UUID.fromString(c.serviceId().substring("association:".length())))
            .onSuccess(a -> names.put(c.serviceId(), a.name())));
      }
    }
    return Future.join(lookups).<Map<String, String>>map(v -> names).recover(err -> Future.succeededFuture(names));
  }
}

package jp.tsunagu.platform.web;

import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.consent.ledger.Actor;
import jp.tsunagu.consent.ledger.Channel;
import jp.tsunagu.consent.ledger.ConsentRecord;
import jp.tsunagu.consent.ledger.ConsentState;
import jp.tsunagu.consent.withdrawal.WithdrawalRequest;
import jp.tsunagu.platform.circular.CircularService;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;

/**
 * "My data" (/my-data): the services linked to the citizen, what each holds and why, a signed
 * receipt per consent, who read which data and when (with the check of the log's hash chain), and
 * withdrawal.
 */
final class MyDataPages {
  private final ConsentModule consent;
  private final CircularService circulars;
  private final jp.tsunagu.platform.oidc.ClientService clients;
  private final jp.tsunagu.platform.residence.ResidenceService residence;
  private final String issuer;
  private final Auth auth;
  private final View view;

  MyDataPages(ConsentModule consent, CircularService circulars, jp.tsunagu.platform.oidc.ClientService clients,
              jp.tsunagu.platform.residence.ResidenceService residence, String issuer, Auth auth, View view) {
    this.residence = residence;
    this.consent = consent;
    this.circulars = circulars;
    this.clients = clients;
    this.issuer = issuer;
    this.auth = auth;
    this.view = view;
  }

  void show(RoutingContext ctx) {
    String lang = Lang.of(ctx);
    auth.citizen(ctx).compose(a -> consent.consents().history(a.id().toString())
        .compose(records -> labels(records, lang).compose(labels -> consent.accessLog().entries(a.id().toString(), 1, 200)
            .compose(entries -> consent.accessLog().verify(a.id().toString()).map(check -> {
              Map<String, Object> model = new HashMap<>();
              model.put("consents", records.stream().map(r -> row(r, labels)).toList());
              model.put("accesses", entries.stream().map(e -> Map.<String, Object>of(
                  "serviceId", labels.service(e.serviceId()),
                  "items", String.join(", ", e.items().stream().map(i -> labels.item(e.serviceId(), i)).toList()),
                  "purpose", labels.purpose(e.serviceId(), e.purpose()),
                  "at", e.occurredAt().atZone(java.time.ZoneId.of("Asia/Tokyo")).toLocalDateTime()
                      .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().replace('T', ' '))).toList());
              model.put("intact", check.intact());
              return model;
            })))
            .compose(model -> linkable(ctx, records).map(links -> {
              model.put("linkable", links);
              return model;
            }))
            .compose(model -> dependants(a.id(), lang).map(children -> {
              model.put("dependants", children);
              return model;
            }))))
        .onSuccess(model -> view.render(ctx, "my-data", model))
        .onFailure(ctx::fail);
  }

  /**
   * The services of the citizen's municipality that can be linked from here (OIDC Core §4: the
   * service's initiate-login URI with this provider as {@code iss}), leaving out those linked
   * already. Nothing about the citizen goes with the link; the service starts an ordinary sign-in.
   */
  private io.vertx.core.Future<java.util.List<Map<String, Object>>> linkable(RoutingContext ctx, java.util.List<ConsentRecord> records) {
    java.util.Set<String> linked = new java.util.HashSet<>();
    records.stream().filter(r -> r.state() == ConsentState.GIVEN).forEach(r -> linked.add(r.serviceId()));
    return auth.citizenWithResidence(ctx).compose(a -> a.residence().isEmpty()
        ? io.vertx.core.Future.succeededFuture(java.util.List.<Map<String, Object>>of())
        : clients.linkable(a.residence().get().tenantCode()).map(list -> list.stream()
            .filter(c -> !linked.contains(jp.tsunagu.platform.oidc.ServiceConsent.serviceId(c.clientId())))
            .map(c -> Map.<String, Object>of("name", c.name(), "clientId", c.clientId(),
                "href", c.initiateLoginUri() + (c.initiateLoginUri().contains("?") ? "&" : "?") + "iss="
                    + java.net.URLEncoder.encode(issuer, java.nio.charset.StandardCharsets.UTF_8)))
            .toList()));
  }

  /**
   * The consents of the children the citizen has claimed as dependants (a guardian decides for
   * them), each child with its records; empty for a citizen without verified residence.
   */
  private io.vertx.core.Future<java.util.List<Map<String, Object>>> dependants(UUID accountId, String lang) {
    return residence.household(accountId)
        .recover(err -> io.vertx.core.Future.succeededFuture(java.util.List.of()))
        .compose(children -> {
          java.util.List<io.vertx.core.Future<Map<String, Object>>> rows = children.stream()
              .filter(jp.tsunagu.platform.residence.ResidenceService.HouseholdChild::claimed)
              .map(c -> consent.consents().history(c.record().id().toString())
                  .compose(records -> labels(records, lang).map(labels -> Map.<String, Object>of(
                      "recordId", c.record().id().toString(),
                      "name", c.record().familyName() + " " + c.record().givenName(),
                      "consents", records.stream().map(r -> row(r, labels)).toList()))))
              .toList();
          return io.vertx.core.Future.all(rows).map(all -> rows.stream().map(io.vertx.core.Future::result)
              .filter(m -> !((java.util.List<?>) m.get("consents")).isEmpty()).toList());
        });
  }

  /** POST /my-data/dependants/:child/:id/withdraw — a guardian withdraws a child's consent. */
  void withdrawForDependant(RoutingContext ctx) {
    UUID child = parse(ctx.pathParam("child"));
    UUID id = parse(ctx.pathParam("id"));
    auth.citizen(ctx).compose(a -> residence.household(a.id()).compose(children -> {
      if (children.stream().noneMatch(c -> c.claimed() && c.record().id().equals(child))) {
        return io.vertx.core.Future.failedFuture(ProblemException.notFound("Dependant " + child));
      }
      return consent.consents().history(child.toString()).compose(records -> {
        ConsentRecord record = records.stream().filter(r -> r.id().equals(id)).findFirst()
            .orElseThrow(() -> ProblemException.notFound("Consent " + id));
        return consent.withdrawals().withdraw(new WithdrawalRequest(record.tenantId(), child.toString(), record.serviceId(),
            Actor.guardian(a.id().toString(), Channel.WEB))).mapEmpty();
      });
    })).onSuccess(v -> {
      View.flash(ctx, "flash.consent-withdrawn");
      View.redirect(ctx, "/my-data");
    }).onFailure(ctx::fail);
  }

  /** What people read instead of ids: service names and the declared labels of items and purposes. */
  private record Labels(Map<String, String> services, Map<String, String> texts) {
    String service(String id) {
      return services.getOrDefault(id, id);
    }

    String item(String service, String item) {
      return texts.getOrDefault(service + "/item/" + item, item);
    }

    String purpose(String service, String purpose) {
      return texts.getOrDefault(service + "/purpose/" + purpose, purpose);
    }
  }

  private io.vertx.core.Future<Labels> labels(java.util.List<ConsentRecord> records, String lang) {
    Map<String, String> services = new java.util.concurrent.ConcurrentHashMap<>();
    Map<String, String> texts = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.List<io.vertx.core.Future<?>> lookups = new java.util.ArrayList<>();
    records.stream().map(r -> Map.entry(r.tenantId(), r.serviceId())).distinct().forEach(link -> {
      lookups.add(consent.declarations().current(link.getKey(), link.getValue()).onSuccess(d -> {
        d.items().forEach(i -> texts.put(link.getValue() + "/item/" + i.id(), "en".equals(lang) ? i.label().en() : i.label().ja()));
        d.purposes().forEach(p -> texts.put(link.getValue() + "/purpose/" + p.id(), "en".equals(lang) ? p.label().en() : p.label().ja()));
      }).recover(err -> io.vertx.core.Future.succeededFuture()));
      jp.tsunagu.platform.consentlink.ClientConsents.clientIdOf(link.getValue()).ifPresent(id -> lookups.add(clients.find(id)
          .onSuccess(c -> c.ifPresent(client -> services.put(link.getValue(), client.name())))
          .recover(err -> io.vertx.core.Future.succeededFuture())));
      if (link.getValue().startsWith("association:")) {
        lookups.add(circulars.association(UUID.fromString(link.getValue().substring("association:".length())))
            .onSuccess(a -> services.put(link.getValue(), a.name())).recover(err -> io.vertx.core.Future.succeededFuture()));
      }
    });
    return io.vertx.core.Future.join(lookups).recover(err -> io.vertx.core.Future.succeededFuture()).map(v -> new Labels(services, texts));
  }

  void receipt(RoutingContext ctx) {
    UUID id = parse(ctx.pathParam("id"));
    auth.citizen(ctx).compose(a -> consent.receipts().issue(a.id().toString(), id))
        .onSuccess(jws -> ctx.response().putHeader("Content-Type", "application/jwt")
            .putHeader("Content-Disposition", "attachment; filename=\"consent-receipt-" + id + ".jwt\"").end(jws))
        .onFailure(ctx::fail);
  }

  void withdraw(RoutingContext ctx) {
    UUID id = parse(ctx.pathParam("id"));
    auth.citizen(ctx).compose(a -> consent.consents().history(a.id().toString()).compose(records -> {
      ConsentRecord record = records.stream().filter(r -> r.id().equals(id)).findFirst()
          .orElseThrow(() -> ProblemException.notFound("Consent " + id));
      if (record.serviceId().startsWith("association:")) {
        return circulars.leave(a.id(), UUID.fromString(record.serviceId().substring("association:".length())));
      }
      return consent.withdrawals().withdraw(new WithdrawalRequest(record.tenantId(), a.id().toString(), record.serviceId(),
          Actor.citizen(a.id().toString(), Channel.WEB))).mapEmpty();
    })).onSuccess(v -> {
      View.flash(ctx, "flash.consent-withdrawn");
      View.redirect(ctx, "/my-data");
    }).onFailure(ctx::fail);
  }

  private static Map<String, Object> row(ConsentRecord r, Labels labels) {
    Map<String, Object> m = new HashMap<>();
    m.put("id", r.id().toString());
    m.put("serviceId", labels.service(r.serviceId()));
    m.put("state", r.state().name().toLowerCase(java.util.Locale.ROOT));
    m.put("active", r.state() == ConsentState.GIVEN);
    m.put("items", String.join(", ", r.items().stream().sorted().map(i -> labels.item(r.serviceId(), i)).toList()));
    m.put("purposes", String.join(", ", r.purposes().stream().sorted().map(p -> labels.purpose(r.serviceId(), p)).toList()));
    m.put("since", r.createdAt().toString().substring(0, 10));
    return m;
  }

  private static UUID parse(String text) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("Consent " + text);
    }
  }
}

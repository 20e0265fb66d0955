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
  private final Auth auth;
  private final View view;

  MyDataPages(ConsentModule consent, CircularService circulars, Auth auth, View view) {
    this.consent = consent;
    this.circulars = circulars;
    this.auth = auth;
    this.view = view;
  }

  void show(RoutingContext ctx) {
    auth.citizen(ctx).compose(a -> consent.consents().history(a.id().toString())
        .compose(records -> consent.accessLog().entries(a.id().toString(), 1, 200)
            .compose(entries -> consent.accessLog().verify(a.id().toString()).map(check -> {
              Map<String, Object> model = new HashMap<>();
              model.put("consents", records.stream().map(MyDataPages::row).toList());
              model.put("accesses", entries.stream().map(e -> Map.<String, Object>of("serviceId", e.serviceId(),
                  "items", String.join(", ", e.items()), "purpose", e.purpose(), "at", e.occurredAt().toString().replace('T', ' ')
                      .replaceAll("\\.\\d+Z$", "Z"))).toList());
              model.put("intact", check.intact());
              return model;
            }))))
        .onSuccess(model -> view.render(ctx, "my-data", model))
        .onFailure(ctx::fail);
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

  private static Map<String, Object> row(ConsentRecord r) {
    Map<String, Object> m = new HashMap<>();
    m.put("id", r.id().toString());
    m.put("serviceId", r.serviceId());
    m.put("state", r.state().name().toLowerCase(java.util.Locale.ROOT));
    m.put("active", r.state() == ConsentState.GIVEN);
    m.put("items", String.join(", ", r.items().stream().sorted().toList()));
    m.put("purposes", String.join(", ", r.purposes().stream().sorted().toList()));
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

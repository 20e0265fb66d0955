package jp.tsunagu.platform.consentlink;

import static jp.tsunagu.platform.http.Api.body;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Set;
import jp.tsunagu.connectors.gate.ConnectorGateway;
import jp.tsunagu.connectors.gate.DataRequest;
import jp.tsunagu.connectors.registry.ConnectorRegistry;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.platform.account.AccountService;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.oidc.Oidc;
import jp.tsunagu.platform.oidc.ServiceConsent;
import jp.tsunagu.platform.oidc.ServiceTokens;
import jp.tsunagu.platform.residence.ResidenceService;

/**
 * The service API: a linked service, authenticated by an access token of its own (client
 * credentials with the scope {@value #SCOPE}), reads a citizen it knows by subject identifier.
 * The read goes through the connector framework's gateway: the gate decides each item for the
 * purpose, only permitted items are read, and the release is in the citizen's access log before
 * the answer leaves.
 */
public final class ServiceApiHandlers {
  public static final String SCOPE = "citizen_data";
  private final Oidc oidc;
  private final ServiceTokens tokens;
  private final ConnectorGateway gateway;

  public ServiceApiHandlers(io.vertx.core.Vertx vertx, ConsentModule consent, Oidc oidc, AccountService accounts,
                            ResidenceService residence) {
    this.oidc = oidc;
    this.tokens = new ServiceTokens(oidc.verifier(), oidc.clients());
    this.gateway = new ConnectorGateway(consent.gate(), consent.accessLog(), new PlatformCitizenData(oidc, accounts, residence),
        // a read goes to no connector (only pushes do), so this gateway needs none of them
        new ConnectorRegistry(vertx, java.util.List.of(), id -> jp.tsunagu.connectors.spi.ConnectorConfig.empty()));
  }

  public void readCitizenData(RoutingContext ctx) {
    JsonObject b = body(ctx);
    String subject = b.getString("subject");
    String purpose = b.getString("purpose");
    Set<String> items = new LinkedHashSet<>();
    b.getJsonArray("items").forEach(i -> items.add((String) i));
    respond(ctx, 200, tokens.service(ctx, ServiceTokens.bearer(ctx), SCOPE)
        .compose(client -> oidc.accountOf(client.clientId(), subject).compose(account -> account.isEmpty()
            ? Future.failedFuture(ProblemException.notFound("A citizen with this subject linked to the service"))
            : gateway.read(new DataRequest(client.tenantCode(), account.get().toString(),
                ServiceConsent.serviceId(client.clientId()), purpose, items))))
        .map(data -> {
          JsonObject values = new JsonObject();
          JsonArray released = new JsonArray();
          data.items().stream().sorted().forEach(item -> {
            released.add(item);
            data.value(item).ifPresent(v -> values.put(item, v));
          });
          return new JsonObject().put("subject", data.serviceSubject()).put("purpose", data.purpose()).put("released", released)
              .put("values", values).put("consentId", data.consentId().toString()).put("accessLogSeq", data.accessLogSeq());
        }));
  }
}

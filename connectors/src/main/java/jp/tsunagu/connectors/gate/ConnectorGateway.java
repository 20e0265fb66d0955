package jp.tsunagu.connectors.gate;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import jp.tsunagu.connectors.registry.ConnectorRegistry;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.accesslog.AccessEvent;
import jp.tsunagu.consent.accesslog.AccessKind;
import jp.tsunagu.consent.accesslog.AccessLogService;
import jp.tsunagu.consent.decision.ConsentGate;
import jp.tsunagu.consent.decision.ConsentKey;

/**
 * The only way a citizen's data reaches a service. For each request:
 * <ol>
 *   <li>the gate decides every requested item for the purpose; items not permitted are left out,
 *       and if none is permitted the request fails with {@code CONSENT_DENIED};</li>
 *   <li>only the permitted items are read from the {@link CitizenDataSource};</li>
 *   <li>the gate is asked again (a withdrawal may have completed meanwhile);</li>
 *   <li>the release (service, items, purpose, consent) is appended to the citizen's access log;</li>
 *   <li>only then is a {@link GatedCitizenData} built and handed over — returned to the caller
 *       for a read, or given to the service's connector for a push.</li>
 * </ol>
 */
public final class ConnectorGateway {
  private final ConsentGate gate;
  private final AccessLogService accessLog;
  private final CitizenDataSource source;
  private final ConnectorRegistry connectors;

  public ConnectorGateway(ConsentGate gate, AccessLogService accessLog, CitizenDataSource source,
      ConnectorRegistry connectors) {
    this.gate = gate;
    this.accessLog = accessLog;
    this.source = source;
    this.connectors = connectors;
  }

  /** The service reads the citizen's data (API pull); logged as a read. */
  public Future<GatedCitizenData> read(DataRequest request) {
    return release(request, AccessKind.READ);
  }

  /** The platform pushes the citizen's data to the service's connector; logged as a push. */
  public Future<Void> push(DataRequest request) {
    return connectors.connector(request.tenantId(), request.serviceId())
        .map(connector -> release(request, AccessKind.PUSH).compose(connector::deliver))
        .orElseGet(() -> Future.failedFuture(ConsentError.UNKNOWN_SERVICE.exception(
            "no connector for " + request.serviceId() + " in tenant " + request.tenantId())));
  }

  private Future<GatedCitizenData> release(DataRequest request, AccessKind kind) {
    ConsentKey key = new ConsentKey(request.tenantId(), request.citizenId(), request.serviceId());
    return permitted(key, request.items(), request.purpose())
        .compose(permitted -> source.load(request.tenantId(), request.citizenId(), request.serviceId(), permitted.items())
            .compose(data -> permitted(key, permitted.items(), request.purpose())
                .compose(again -> log(request, kind, again, data))));
  }

  private Future<Permitted> permitted(ConsentKey key, Set<String> items, String purpose) {
    return gate.decideItems(key, items, purpose).compose(decisions -> {
      Set<String> allowed = decisions.entrySet().stream().filter(e -> e.getValue().permitted())
          .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
      if (allowed.isEmpty()) {
        return Future.failedFuture(ConsentError.CONSENT_DENIED.exception(key + " for " + purpose + ": "
            + decisions.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().reason())
                .sorted().collect(Collectors.joining(", "))));
      }
      UUID consentId = decisions.get(allowed.iterator().next()).consentId().orElseThrow();
      return Future.succeededFuture(new Permitted(allowed, consentId));
    });
  }

  private Future<GatedCitizenData> log(DataRequest request, AccessKind kind, Permitted permitted, CitizenData data) {
    Map<String, Object> values = new HashMap<>();
    permitted.items().forEach(item -> {
      Object value = data.values().get(item);
      if (value != null) {
        values.put(item, value);
      }
    });
    AccessEvent event = new AccessEvent(request.tenantId(), request.citizenId(), request.serviceId(), kind,
        permitted.items(), request.purpose(), Optional.of(permitted.consentId()));
    return accessLog.append(event).map(entry -> new GatedCitizenData(request.tenantId(), request.serviceId(),
        data.serviceSubject(), request.purpose(), permitted.items(), values, permitted.consentId(), entry.seq()));
  }

  private record Permitted(Set<String> items, UUID consentId) {}
}

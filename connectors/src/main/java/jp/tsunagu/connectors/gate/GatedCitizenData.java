package jp.tsunagu.connectors.gate;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.consent.ConsentError;

/**
 * A citizen's data as a service may see it: only the items the consent gate permitted for this
 * service and purpose at release time. Only the framework ({@link ConnectorGateway}) can make one,
 * after the decision and after appending the release to the citizen's access log.
 */
public final class GatedCitizenData {
  private final String tenantId;
  private final String serviceId;
  private final String serviceSubject;
  private final String purpose;
  private final Map<String, Object> values;
  private final Set<String> released;
  private final UUID consentId;
  private final long accessLogSeq;

  GatedCitizenData(String tenantId, String serviceId, String serviceSubject, String purpose, Set<String> released,
      Map<String, Object> values, UUID consentId, long accessLogSeq) {
    this.tenantId = tenantId;
    this.serviceId = serviceId;
    this.serviceSubject = serviceSubject;
    this.purpose = purpose;
    this.released = Set.copyOf(released);
    this.values = Map.copyOf(values);
    this.consentId = consentId;
    this.accessLogSeq = accessLogSeq;
  }

  public String tenantId() {
    return tenantId;
  }

  public String serviceId() {
    return serviceId;
  }

  /** The citizen as the service knows them (pairwise subject), never the platform's own id. */
  public String serviceSubject() {
    return serviceSubject;
  }

  public String purpose() {
    return purpose;
  }

  /** The items released to the service. */
  public Set<String> items() {
    return released;
  }

  /**
   * The value of a released item (empty if the citizen has none); an item that was not released
   * fails with {@code CONSENT_DENIED}.
   */
  public Optional<Object> value(String item) {
    if (!released.contains(item)) {
      throw ConsentError.CONSENT_DENIED.exception(item + " was not released to " + serviceId);
    }
    return Optional.ofNullable(values.get(item));
  }

  public Optional<String> string(String item) {
    return value(item).map(String::valueOf);
  }

  /** The consent the release rests on. */
  public UUID consentId() {
    return consentId;
  }

  /** The release's entry in the citizen's access log. */
  public long accessLogSeq() {
    return accessLogSeq;
  }

  @Override
  public String toString() {
    return "GatedCitizenData[" + serviceId + " " + purpose + " " + released + "]";
  }
}

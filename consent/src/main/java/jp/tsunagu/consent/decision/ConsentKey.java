package jp.tsunagu.consent.decision;

import java.util.Objects;
import jp.tsunagu.consent.ledger.ConsentRecord;

/** A link between a citizen and a service in a tenant: the unit of caching and invalidation. */
public final class ConsentKey {
  private final String tenantId;
  private final String citizenId;
  private final String serviceId;
  private final int hash;

  public ConsentKey(String tenantId, String citizenId, String serviceId) {
    this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
    this.citizenId = Objects.requireNonNull(citizenId, "citizenId");
    this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
    this.hash = (tenantId.hashCode() * 31 + citizenId.hashCode()) * 31 + serviceId.hashCode();
  }

  public static ConsentKey of(ConsentRecord record) {
    return new ConsentKey(record.tenantId(), record.citizenId(), record.serviceId());
  }

  public String tenantId() {
    return tenantId;
  }

  public String citizenId() {
    return citizenId;
  }

  public String serviceId() {
    return serviceId;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConsentKey k && k.hash == hash && k.citizenId.equals(citizenId)
        && k.serviceId.equals(serviceId) && k.tenantId.equals(tenantId);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return tenantId + "/" + citizenId + "/" + serviceId;
  }
}

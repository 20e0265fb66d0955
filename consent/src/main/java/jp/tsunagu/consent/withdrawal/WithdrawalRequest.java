package jp.tsunagu.consent.withdrawal;

import java.util.Objects;
import jp.tsunagu.consent.ledger.Actor;

/** Withdraw the consent a citizen gave a service in a tenant. */
public record WithdrawalRequest(String tenantId, String citizenId, String serviceId, Actor actor) {
  public WithdrawalRequest {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(citizenId, "citizenId");
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(actor, "actor");
  }
}

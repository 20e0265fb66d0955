package jp.tsunagu.consent.ledger;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.declaration.ServiceDeclaration;

/** Checks a consent request against the declaration in force. */
final class ConsentValidator {
  private ConsentValidator() {}

  static ServiceDeclaration requireDeclared(Optional<ServiceDeclaration> declaration, ConsentRequest request) {
    return declaration.orElseThrow(() -> ConsentError.UNKNOWN_SERVICE.exception(
        request.serviceId() + " in tenant " + request.tenantId()));
  }

  static void validateGive(ServiceDeclaration declaration, ConsentRequest request) {
    validateCommon(declaration, request);
    Set<String> undeclaredItems = minus(request.items(), declaration.itemIds());
    if (!undeclaredItems.isEmpty()) {
      throw ConsentError.UNDECLARED_ITEM.exception("not declared by " + request.serviceId() + ": " + undeclaredItems);
    }
    Set<String> undeclaredPurposes = minus(request.purposes(), declaration.purposeIds());
    if (!undeclaredPurposes.isEmpty()) {
      throw ConsentError.UNDECLARED_PURPOSE.exception("not declared by " + request.serviceId() + ": " + undeclaredPurposes);
    }
    Set<String> missing = minus(declaration.requiredItemIds(), request.items());
    if (!missing.isEmpty()) {
      throw ConsentError.REQUIRED_ITEM_MISSING.exception("required items left out: " + missing);
    }
    if (request.purposes().isEmpty()) {
      throw ConsentError.INVALID_REQUEST.exception("consent names at least one purpose");
    }
    if (request.validity().filter(d -> d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(3660)) > 0).isPresent()) {
      throw ConsentError.INVALID_REQUEST.exception("validity must be positive and at most ten years");
    }
  }

  static void validateRefuse(ServiceDeclaration declaration, ConsentRequest request) {
    validateCommon(declaration, request);
  }

  private static void validateCommon(ServiceDeclaration declaration, ConsentRequest request) {
    request.actor().requireMayActFor(request.citizenId());
    if (request.noticeVersion() != declaration.noticeVersion()) {
      throw ConsentError.STALE_NOTICE_VERSION.exception("notice version " + request.noticeVersion()
          + " is not the one in force (" + declaration.noticeVersion() + ")");
    }
  }

  private static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> result = new HashSet<>(a);
    result.removeAll(b);
    return result;
  }
}

package jp.tsunagu.consent.withdrawal;

import io.vertx.core.Future;

/**
 * The subject identifier under which a service knows a citizen (the pairwise {@code sub} of its
 * sector), so that Security Event Tokens never reveal the platform's own citizen id.
 * Implemented by the platform's identity provider.
 */
@FunctionalInterface
public interface ServiceSubjectResolver {
  Future<String> subjectFor(String tenantId, String serviceId, String citizenId);
}

package jp.tsunagu.consent.withdrawal;

import io.vertx.core.Future;

/**
 * Revokes the tokens a service holds for a citizen (access and refresh tokens, RFC 7009), called
 * on withdrawal. Implemented by the platform's authorisation server; must succeed when there is
 * nothing left to revoke.
 */
@FunctionalInterface
public interface ServiceTokenRevoker {
  Future<Void> revokeTokens(String tenantId, String serviceId, String citizenId);
}

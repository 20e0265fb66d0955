package jp.tsunagu.platform.oidc;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** What one authorization (or a client's credentials) granted; its refresh tokens form one family. */
public record Grant(UUID id, String clientId, UUID accountId, String sid, Set<String> scopes, Instant authTime, String acr,
                    Integer accountStamp, boolean revoked) {}

package jp.tsunagu.platform.account;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A citizen account. It belongs to the platform; residence is a separate, changeable fact. */
public record Account(UUID id, String email, boolean emailVerified, String passwordHash, String displayName,
                      String locale, int securityStamp, OffsetDateTime createdAt) {}

package jp.tsunagu.consent.withdrawal;

import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.consent.ledger.ConsentRecord;

/**
 * @param record   the link's latest record after the call
 * @param changed  false when there was nothing in force to withdraw (already withdrawn, refused,
 *                 expired): withdrawing again succeeds and repeats the cache invalidation and
 *                 token revocation
 * @param setJti   the Security Event Token queued for the service, when {@code changed}
 */
public record WithdrawalResult(ConsentRecord record, boolean changed, Optional<UUID> setJti) {}

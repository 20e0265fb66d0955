package jp.tsunagu.consent.decision;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.consent.ledger.ConsentState;

/**
 * What the gate needs to know about a link, read from the ledger at one moment: the latest record
 * (if any) and the notice version in force. Decisions are precomputed so that evaluating one does
 * not allocate.
 */
public final class ConsentSnapshot {
  private static final ConsentSnapshot NONE = new ConsentSnapshot(null, null, 0, 0, Set.of(), Set.of(), null);

  private final Optional<UUID> consentId;
  private final int noticeVersion;
  private final Set<String> items;
  private final Set<String> purposes;
  private final long expiresAtMillis;
  private final Decision permit;
  private final Decision stateDenial;
  private final Decision expired;
  private final Decision itemDenial;
  private final Decision purposeDenial;

  /**
   * @param state                null when the link has no record
   * @param currentNoticeVersion the service's notice version in force (0 if none)
   */
  public ConsentSnapshot(UUID consentId, ConsentState state, int noticeVersion, int currentNoticeVersion,
      Set<String> items, Set<String> purposes, Instant expiresAt) {
    Optional<UUID> id = Optional.ofNullable(consentId);
    this.consentId = id;
    this.noticeVersion = noticeVersion;
    this.items = Set.copyOf(items);
    this.purposes = Set.copyOf(purposes);
    this.expiresAtMillis = expiresAt == null ? Long.MAX_VALUE : expiresAt.toEpochMilli();
    this.permit = new Decision(true, DecisionReason.PERMITTED, id);
    this.expired = new Decision(false, DecisionReason.EXPIRED, id);
    this.itemDenial = new Decision(false, DecisionReason.ITEM_NOT_CONSENTED, id);
    this.purposeDenial = new Decision(false, DecisionReason.PURPOSE_NOT_CONSENTED, id);
    this.stateDenial = stateDenial(state, noticeVersion, currentNoticeVersion, id);
  }

  public static ConsentSnapshot none() {
    return NONE;
  }

  private static Decision stateDenial(ConsentState state, int noticeVersion, int currentNoticeVersion, Optional<UUID> id) {
    if (state == null) {
      return Decision.NO_CONSENT;
    }
    return switch (state) {
      case GIVEN -> noticeVersion == currentNoticeVersion
          ? null
          : new Decision(false, DecisionReason.NOTICE_CHANGED, id);
      case REFUSED -> new Decision(false, DecisionReason.REFUSED, id);
      case WITHDRAWN -> new Decision(false, DecisionReason.WITHDRAWN, id);
      case EXPIRED -> new Decision(false, DecisionReason.EXPIRED, id);
      case SUPERSEDED -> new Decision(false, DecisionReason.SUPERSEDED, id);
    };
  }

  /** The decision for {@code item} and {@code purpose} at {@code nowMillis}. */
  public Decision evaluate(String item, String purpose, long nowMillis) {
    if (stateDenial != null) {
      return stateDenial;
    }
    if (nowMillis >= expiresAtMillis) {
      return expired;
    }
    if (!purposes.contains(purpose)) {
      return purposeDenial;
    }
    return items.contains(item) ? permit : itemDenial;
  }

  /** Whether the latest record is a consent given to the notice in force and not expired at {@code nowMillis}. */
  public boolean inForceAt(long nowMillis) {
    return stateDenial == null && nowMillis < expiresAtMillis;
  }

  /** The latest record's id, if the link has one. */
  public Optional<UUID> consentId() {
    return consentId;
  }

  /** The notice version the latest record answers (0 without a record). */
  public int noticeVersion() {
    return noticeVersion;
  }

  /** The latest record's items. */
  public Set<String> items() {
    return items;
  }

  /** The latest record's purposes. */
  public Set<String> purposes() {
    return purposes;
  }

  /** Milliseconds since the epoch after which consent has expired; Long.MAX_VALUE if never. */
  long expiresAtMillis() {
    return expiresAtMillis;
  }
}

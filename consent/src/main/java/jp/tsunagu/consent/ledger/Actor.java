package jp.tsunagu.consent.ledger;

import java.util.Objects;
import java.util.Optional;
import jp.tsunagu.consent.ConsentError;

/**
 * Who made a decision, how, and (for assisted mode) the reference of the paper evidence.
 *
 * @param id          the citizen, guardian or staff member's platform id
 * @param evidenceRef the paper form's reference; required when staff record on a citizen's behalf
 */
public record Actor(ActorKind kind, String id, Channel channel, Optional<String> evidenceRef) {
  public Actor {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(evidenceRef, "evidenceRef");
  }

  public static Actor citizen(String citizenId, Channel channel) {
    return new Actor(ActorKind.CITIZEN, citizenId, channel, Optional.empty());
  }

  public static Actor guardian(String guardianId, Channel channel) {
    return new Actor(ActorKind.GUARDIAN, guardianId, channel, Optional.empty());
  }

  public static Actor staffAssisted(String staffId, Channel channel, String evidenceRef) {
    return new Actor(ActorKind.STAFF_ASSISTED, staffId, channel, Optional.of(evidenceRef));
  }

  /** The platform, for automatic transitions such as expiry. */
  public static Actor system() {
    return new Actor(ActorKind.SYSTEM, "platform", Channel.API, Optional.empty());
  }

  /**
   * Checks that this actor may act for {@code citizenId}: a citizen only for themselves; staff
   * only with paper evidence; paper and counter channels only through staff. Whether a guardian
   * holds parental authority is the platform's check before calling.
   */
  public void requireMayActFor(String citizenId) {
    switch (kind) {
      case CITIZEN -> {
        if (!id.equals(citizenId)) {
          throw ConsentError.INVALID_REQUEST.exception("a citizen acts only for themselves");
        }
      }
      case GUARDIAN -> {
        if (id.equals(citizenId)) {
          throw ConsentError.INVALID_REQUEST.exception("a guardian acts for someone else");
        }
      }
      case STAFF_ASSISTED -> {
        if (evidenceRef.filter(s -> !s.isBlank()).isEmpty()) {
          throw ConsentError.INVALID_REQUEST.exception("assisted mode needs the paper evidence reference");
        }
      }
      case SYSTEM -> throw ConsentError.INVALID_REQUEST.exception("the platform cannot decide for a citizen");
    }
    boolean assistedChannel = channel == Channel.PAPER_FORM || channel == Channel.COUNTER;
    if (assistedChannel != (kind == ActorKind.STAFF_ASSISTED)) {
      throw ConsentError.INVALID_REQUEST.exception("paper and counter decisions are recorded by staff, and only those");
    }
  }
}

package jp.tsunagu.consent.decision;

/** Why a decision came out as it did. */
public enum DecisionReason {
  PERMITTED,
  NO_CONSENT,
  REFUSED,
  WITHDRAWN,
  EXPIRED,
  SUPERSEDED,
  NOTICE_CHANGED,
  ITEM_NOT_CONSENTED,
  PURPOSE_NOT_CONSENTED
}

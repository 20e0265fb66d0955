package jp.tsunagu.consent.withdrawal;

/** The outcome of one delivery attempt. */
public sealed interface SetDelivery {
  /** The receiver accepted the token. */
  record Delivered() implements SetDelivery {}

  /** Try again later (network failure, 5xx, 429). */
  record Retry(String reason) implements SetDelivery {}

  /** Trying again will not help (the receiver rejected the token). */
  record Rejected(String reason) implements SetDelivery {}
}

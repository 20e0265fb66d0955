package jp.tsunagu.consent.accesslog;

import java.util.Optional;

/**
 * The outcome of checking one citizen's chain.
 *
 * @param entriesChecked entries read
 * @param brokenAtSeq    the first entry found wrong (or the head's seq when the tail is missing)
 * @param problem        what was wrong
 */
public record ChainVerification(String citizenId, boolean intact, long entriesChecked,
    Optional<Long> brokenAtSeq, Optional<String> problem) {

  static ChainVerification intact(String citizenId, long entries) {
    return new ChainVerification(citizenId, true, entries, Optional.empty(), Optional.empty());
  }

  static ChainVerification broken(String citizenId, long entries, long seq, String problem) {
    return new ChainVerification(citizenId, false, entries, Optional.of(seq), Optional.of(problem));
  }
}

package jp.tsunagu.consent.accesslog;

import java.util.List;
import java.util.Optional;

/** Checks a citizen's entries (in seq order) against each other and against the chain head. */
final class ChainVerifier {
  private ChainVerifier() {}

  static ChainVerification verify(String citizenId, List<AccessLogEntry> entries, Optional<ChainHead> head) {
    byte[] prev = AccessChain.genesis();
    long expectedSeq = 1;
    for (AccessLogEntry e : entries) {
      if (e.seq() != expectedSeq) {
        return ChainVerification.broken(citizenId, expectedSeq - 1, expectedSeq, "entry " + expectedSeq + " is missing");
      }
      if (!AccessChain.same(e.prevHash(), prev)) {
        return ChainVerification.broken(citizenId, expectedSeq, e.seq(), "previous hash does not match entry " + (e.seq() - 1));
      }
      byte[] expected = AccessChain.expectedHash(e, prev);
      if (!AccessChain.same(e.entryHash(), expected)) {
        return ChainVerification.broken(citizenId, expectedSeq, e.seq(), "entry content does not match its hash");
      }
      prev = e.entryHash();
      expectedSeq++;
    }
    long last = expectedSeq - 1;
    if (head.isEmpty()) {
      return last == 0
          ? ChainVerification.intact(citizenId, 0)
          : ChainVerification.broken(citizenId, last, 1, "chain head is missing");
    }
    if (head.get().seq() != last) {
      return ChainVerification.broken(citizenId, last, Math.min(head.get().seq(), last + 1),
          "chain head is at " + head.get().seq() + " but entries end at " + last);
    }
    if (!AccessChain.same(head.get().headHash(), prev)) {
      return ChainVerification.broken(citizenId, last, last, "chain head hash does not match the last entry");
    }
    return ChainVerification.intact(citizenId, last);
  }

  /** As {@link #verify}, and the chain still holds the entry a signed checkpoint vouched for. */
  static ChainVerification verify(String citizenId, List<AccessLogEntry> entries, Optional<ChainHead> head,
      ChainHead checkpoint) {
    ChainVerification v = verify(citizenId, entries, head);
    if (!v.intact()) {
      return v;
    }
    boolean kept = checkpoint.seq() == 0 || entries.stream()
        .anyMatch(e -> e.seq() == checkpoint.seq() && AccessChain.same(e.entryHash(), checkpoint.headHash()));
    return kept ? v : ChainVerification.broken(citizenId, v.entriesChecked(), checkpoint.seq(),
        "entry " + checkpoint.seq() + " differs from the signed checkpoint");
  }
}

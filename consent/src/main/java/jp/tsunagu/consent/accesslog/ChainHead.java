package jp.tsunagu.consent.accesslog;

/** The last seq and hash of a citizen's chain. */
public record ChainHead(String citizenId, long seq, byte[] headHash) {}

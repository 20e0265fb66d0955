package jp.tsunagu.search.index;

/**
 * Returned by every write; pass it to {@code awaitSearchable} to wait until that write (and every
 * write before it) is visible to searches. Opaque to callers.
 *
 * @param generation the index generation the write went to
 * @param sequence the writer's sequence number of the write
 */
public record WriteToken(long generation, long sequence) {}

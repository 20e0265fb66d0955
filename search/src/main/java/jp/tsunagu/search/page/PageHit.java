package jp.tsunagu.search.page;

import java.time.Instant;

/**
 * One result. {@code snippet} is HTML-escaped text with matches in {@code <mark>…</mark>}.
 *
 * @param pinned true for a best bet the tenant pinned to this query
 */
public record PageHit(
    String tenant,
    String id,
    String url,
    String title,
    String summary,
    String snippet,
    String category,
    Instant published,
    Instant updated,
    float score,
    boolean pinned) {}

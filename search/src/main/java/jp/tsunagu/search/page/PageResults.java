package jp.tsunagu.search.page;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to a {@link PageQuery}.
 *
 * @param total matching pages, exact
 * @param pinned best bets for the query, shown above the hits on the first page only
 * @param hits the requested page of results, best first
 * @param facets counts per requested facet, largest first
 * @param didYouMean a corrected query when the query found little, else empty
 */
public record PageResults(
    long total,
    List<PageHit> pinned,
    List<PageHit> hits,
    Map<String, List<FacetCount>> facets,
    Optional<String> didYouMean) {}

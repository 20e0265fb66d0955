package jp.tsunagu.search.page;

/** One value of a facet with the number of matching pages. */
public record FacetCount(String value, long count) {}

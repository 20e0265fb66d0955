package jp.tsunagu.search.page;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.tsunagu.search.InvalidSearchRequestException;
import jp.tsunagu.search.InvalidSearchRequestException.Reason;
import jp.tsunagu.search.TenantCode;

/**
 * A validated page search request. Build with {@link #builder}; every limit is checked in {@link
 * Builder#build()}, which throws {@link InvalidSearchRequestException}.
 *
 * @param filters facet to accepted values; values of one facet are ORed, facets are ANDed
 * @param publishedFrom earliest publication time accepted (inclusive), or null for no lower bound
 * @param publishedUntil publication time before which a page must have been published
 *     (exclusive), or null for no upper bound; ANDed with the {@code published} facet's buckets
 * @param now the clock for recency and date facets (injectable for tests)
 */
public record PageQuery(
    UserQuery query,
    String text,
    Set<String> tenants,
    Map<PageFacet, List<String>> filters,
    Set<PageFacet> facets,
    int offset,
    int limit,
    boolean highlight,
    Instant publishedFrom,
    Instant publishedUntil,
    Instant now) {

  public static final int MAX_LIMIT = 100;
  public static final int MAX_WINDOW = 10_000;
  public static final int MAX_TENANTS = 100;
  public static final int MAX_FILTER_VALUES = 50;

  public static Builder builder(String... tenants) {
    return new Builder().tenants(List.of(tenants));
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private String text = "";
    private final Set<String> tenants = new LinkedHashSet<>();
    private final Map<String, List<String>> filters = new java.util.LinkedHashMap<>();
    private final List<String> facets = new ArrayList<>();
    private int offset;
    private int limit = 10;
    private boolean highlight = true;
    private Instant now;
    private Instant publishedFrom;
    private Instant publishedUntil;

    public Builder text(String text) {
      this.text = text == null ? "" : text;
      return this;
    }

    public Builder tenants(List<String> codes) {
      tenants.addAll(codes);
      return this;
    }

    /** Adds accepted values for a facet, by API name ("category", "district", "published", …). */
    public Builder filter(String facet, String... values) {
      filters.computeIfAbsent(facet, k -> new ArrayList<>()).addAll(List.of(values));
      return this;
    }

    /** Facets to count, by API name. */
    public Builder facets(String... names) {
      facets.addAll(List.of(names));
      return this;
    }

    public Builder page(int offset, int limit) {
      this.offset = offset;
      this.limit = limit;
      return this;
    }

    public Builder highlight(boolean highlight) {
      this.highlight = highlight;
      return this;
    }

    /**
     * Only pages published in [{@code from}, {@code until}); either bound may be null. A range
     * that ends before it starts is refused in {@link #build()}.
     */
    public Builder publishedBetween(Instant from, Instant until) {
      this.publishedFrom = from;
      this.publishedUntil = until;
      return this;
    }

    public Builder now(Instant now) {
      this.now = now;
      return this;
    }

    public PageQuery build() {
      if (tenants.isEmpty()) {
        throw bad(Reason.BAD_ARGUMENT, "at least one tenant code is required");
      }
      if (tenants.size() > MAX_TENANTS) {
        throw bad(Reason.BAD_ARGUMENT, "at most " + MAX_TENANTS + " tenants per search");
      }
      tenants.forEach(TenantCode::require);
      if (limit < 1 || limit > MAX_LIMIT) {
        throw bad(Reason.PAGE_SIZE, "page size must be between 1 and " + MAX_LIMIT + ", was " + limit);
      }
      if (offset < 0 || offset > MAX_WINDOW - limit) {
        throw bad(Reason.OFFSET, "offset must be between 0 and " + (MAX_WINDOW - limit) + ", was " + offset);
      }
      Map<PageFacet, List<String>> checkedFilters = new EnumMap<>(PageFacet.class);
      filters.forEach((name, values) -> {
        PageFacet facet = PageFacet.of(name);
        if (values.isEmpty() || values.size() > MAX_FILTER_VALUES) {
          throw bad(Reason.BAD_ARGUMENT, "filter '" + name + "' needs 1.." + MAX_FILTER_VALUES + " values");
        }
        if (facet == PageFacet.PUBLISHED) {
          values.forEach(PublishedRange::ofCode);
        }
        checkedFilters.merge(facet, List.copyOf(values), (a, b) -> {
          List<String> all = new ArrayList<>(a);
          all.addAll(b);
          return List.copyOf(all);
        });
      });
      if (publishedFrom != null && publishedUntil != null && !publishedFrom.isBefore(publishedUntil)) {
        throw bad(Reason.DATE_RANGE, "the publication range ends before it starts: from " + publishedFrom
            + " until " + publishedUntil);
      }
      Set<PageFacet> checkedFacets = EnumSet.noneOf(PageFacet.class);
      facets.forEach(name -> checkedFacets.add(PageFacet.of(name)));
      return new PageQuery(UserQuery.parse(text), text, Set.copyOf(tenants), Map.copyOf(checkedFilters),
          Set.copyOf(checkedFacets), offset, limit, highlight, publishedFrom, publishedUntil, now == null ? Instant.now() : now);
    }

    private static InvalidSearchRequestException bad(Reason reason, String message) {
      return new InvalidSearchRequestException(reason, message);
    }
  }
}

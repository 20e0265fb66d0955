package jp.tsunagu.search.page;

import java.util.Arrays;
import java.util.stream.Collectors;
import jp.tsunagu.search.InvalidSearchRequestException;
import jp.tsunagu.search.InvalidSearchRequestException.Reason;

/** Facets (and filters) of the page index, by the name the API uses. */
public enum PageFacet {
  CATEGORY(PageFields.CATEGORY),
  DEPARTMENT(PageFields.DEPARTMENT),
  DISTRICT(PageFields.DISTRICT),
  LIFE_STAGE(PageFields.LIFE_STAGE),
  TAG(PageFields.TAG),
  LANGUAGE(PageFields.LANGUAGE),
  /** Date ranges of the publication time: {@link PublishedRange}. */
  PUBLISHED(PageFields.PUBLISHED);

  private final String field;

  PageFacet(String field) {
    this.field = field;
  }

  /** The API name, which is also the index field. */
  public String apiName() {
    return field;
  }

  /** @throws InvalidSearchRequestException for a name that is not a facet, listing the known ones */
  public static PageFacet of(String name) {
    for (PageFacet f : values()) {
      if (f.field.equals(name)) {
        return f;
      }
    }
    throw new InvalidSearchRequestException(Reason.UNKNOWN_FACET,
        "unknown facet '" + name + "'; known facets: "
            + Arrays.stream(values()).map(PageFacet::apiName).collect(Collectors.joining(", ")));
  }
}

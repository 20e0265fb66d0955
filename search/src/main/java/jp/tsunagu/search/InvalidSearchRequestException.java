package jp.tsunagu.search;

import java.util.Objects;

/**
 * The caller's request cannot be answered as given: a query syntax error, a query that is too
 * long, a page size or offset beyond the limits, an unknown facet or an unknown tenant code. The
 * message is written for the person who sent the request. The platform maps it to 400.
 */
public class InvalidSearchRequestException extends SearchException {

  /** What was wrong, for the problem type the platform writes. */
  public enum Reason {
    QUERY_SYNTAX,
    QUERY_TOO_LONG,
    PAGE_SIZE,
    OFFSET,
    UNKNOWN_FACET,
    /** A publication date range that ends before it starts. */
    DATE_RANGE,
    BAD_ARGUMENT
  }

  private final Reason reason;

  public InvalidSearchRequestException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason);
  }

  public Reason reason() {
    return reason;
  }
}

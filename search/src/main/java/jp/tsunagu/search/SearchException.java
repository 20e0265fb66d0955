package jp.tsunagu.search;

/**
 * An index could not do what was asked for a reason that is not the caller's fault, such as an
 * I/O failure of the index directory. The platform maps it to a server-side problem (503).
 */
public class SearchException extends RuntimeException {

  public SearchException(String message, Throwable cause) {
    super(message, cause);
  }

  public SearchException(String message) {
    super(message);
  }
}

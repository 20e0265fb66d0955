package jp.tsunagu.consent;

/** An expected, typed failure; {@link #error()} says which. */
public final class ConsentException extends RuntimeException {
  private final ConsentError error;

  public ConsentException(ConsentError error, String detail) {
    super(error.name() + ": " + detail, null, false, false);
    this.error = error;
  }

  public ConsentError error() {
    return error;
  }

  /** True when {@code failure} is a consent exception carrying {@code error}. */
  public static boolean is(Throwable failure, ConsentError error) {
    return failure instanceof ConsentException ce && ce.error == error;
  }
}

package jp.tsunagu.search.facility;

import java.util.List;
import java.util.stream.Collectors;
import jp.tsunagu.search.InvalidSearchRequestException;

/** A facility CSV had bad rows; nothing was imported. Maps to 400 with the row list. */
public final class FacilityImportException extends InvalidSearchRequestException {

  /** One bad row: its line number in the file (header is line 1) and what is wrong. */
  public record RowError(long line, String reason) {}

  private final transient List<RowError> errors;

  public FacilityImportException(List<RowError> errors) {
    super(Reason.BAD_ARGUMENT, errors.size() + " bad row(s); nothing imported: "
        + errors.stream().limit(10).map(e -> "line " + e.line() + ": " + e.reason()).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<RowError> errors() {
    return errors;
  }
}

package jp.tsunagu.platform.tenant;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import jp.tsunagu.platform.http.ProblemException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Parses a CSV upload with a header row into typed rows. Every row is checked before anything is
 * written; if any row is bad, the whole import is refused with each bad line and its reason.
 */
public final class CsvImport {
  public static final int MAX_ROWS = 200_000;

  private CsvImport() {}

  /** Thrown by a row mapper for a bad value; the message is the reason shown to staff. */
  public static final class RowError extends RuntimeException {
    public RowError(String reason) {
      super(reason, null, false, false);
    }
  }

  public static <T> List<T> parse(String text, Set<String> requiredColumns, Function<Map<String, String>, T> mapper) {
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
        .setIgnoreEmptyLines(true).get();
    List<T> out = new ArrayList<>();
    JsonArray errors = new JsonArray();
    try (CSVParser parser = CSVParser.parse(new StringReader(body), format)) {
      Set<String> header = Set.copyOf(parser.getHeaderNames().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
      for (String column : requiredColumns) {
        if (!header.contains(column)) {
          throw ProblemException.unprocessable("invalid-csv", "The header row lacks the column '" + column
              + "'; expected columns: " + String.join(",", requiredColumns));
        }
      }
      for (CSVRecord record : parser) {
        long line = record.getParser().getCurrentLineNumber();
        if (out.size() + errors.size() >= MAX_ROWS) {
          throw ProblemException.unprocessable("invalid-csv", "More than " + MAX_ROWS + " rows; split the file");
        }
        if (!record.isConsistent()) {
          errors.add(new JsonObject().put("line", line).put("reason", "expected " + parser.getHeaderNames().size()
              + " fields, found " + record.size()));
          continue;
        }
        Map<String, String> row = new java.util.HashMap<>();
        record.toMap().forEach((k, v) -> row.put(k.toLowerCase(Locale.ROOT), v));
        try {
          out.add(mapper.apply(row));
        } catch (RowError | ProblemException e) {
          errors.add(new JsonObject().put("line", line).put("reason", e.getMessage()));
        }
      }
    } catch (IOException | java.io.UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
      throw ProblemException.unprocessable("invalid-csv", "The file is not valid CSV: " + e.getMessage());
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(422, "invalid-csv-rows", "Some rows are invalid",
          errors.size() + " row(s) are invalid; nothing was imported", new JsonObject().put("errors", errors));
    }
    if (out.isEmpty()) {
      throw ProblemException.unprocessable("invalid-csv", "The file has no data rows");
    }
    return out;
  }

  public static String required(Map<String, String> row, String column, int maxLength) {
    String value = row.get(column);
    if (value == null || value.isBlank()) {
      throw new RowError(column + " is empty");
    }
    if (value.length() > maxLength) {
      throw new RowError(column + " is longer than " + maxLength + " characters");
    }
    return value.strip();
  }
}

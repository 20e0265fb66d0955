package jp.tsunagu.search.facility;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import jp.tsunagu.search.facility.FacilityImportException.RowError;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a tenant's facility list from CSV (UTF-8, optional BOM, header row). Columns:
 *
 * <pre>
 * id,name,type,latitude,longitude,address,capacity,min_age_months,max_age_months,opening_hours,vacancies,district
 * </pre>
 *
 * The first five are required on every row; the others may be empty. Every row is checked before
 * anything is returned: one bad row and the whole file is refused with every bad row listed
 * ({@link FacilityImportException}), so an import never applies half a file.
 */
public final class FacilityCsvImporter {

  public static final int MAX_ROWS = 100_000;
  static final List<String> REQUIRED = List.of("id", "name", "type", "latitude", "longitude");

  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
      .setHeader()
      .setSkipHeaderRecord(true)
      .setTrim(true)
      .setIgnoreEmptyLines(true)
      .get();

  /** Parses every row or throws {@link FacilityImportException} listing every bad one. */
  public List<Facility> read(String tenant, Reader csv) {
    jp.tsunagu.search.TenantCode.require(tenant);
    List<Facility> facilities = new ArrayList<>();
    List<RowError> errors = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    try (CSVParser parser = FORMAT.parse(skipBom(csv))) {
      List<String> missing = REQUIRED.stream().filter(h -> !parser.getHeaderMap().containsKey(h)).toList();
      if (!missing.isEmpty()) {
        throw new FacilityImportException(List.of(new RowError(1, "missing column(s): " + String.join(", ", missing))));
      }
      Iterator<CSVRecord> rows = parser.iterator();
      while (true) {
        CSVRecord row;
        try {
          if (!rows.hasNext()) {
            break;
          }
          row = rows.next();
        } catch (UncheckedIOException | IllegalStateException e) {
          errors.add(new RowError(parser.getCurrentLineNumber(), "unreadable CSV: " + rootMessage(e)));
          break;
        }
        long line = row.getRecordNumber() + 1;
        if (facilities.size() + errors.size() >= MAX_ROWS) {
          errors.add(new RowError(line, "more than " + MAX_ROWS + " rows"));
          break;
        }
        try {
          Facility facility = toFacility(tenant, row);
          if (!ids.add(facility.id())) {
            errors.add(new RowError(line, "duplicate id '" + facility.id() + "'"));
          } else {
            facilities.add(facility);
          }
        } catch (IllegalArgumentException e) {
          errors.add(new RowError(line, e.getMessage()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!errors.isEmpty()) {
      throw new FacilityImportException(errors);
    }
    return facilities;
  }

  private static Facility toFacility(String tenant, CSVRecord row) {
    if (!row.isConsistent()) {
      throw new IllegalArgumentException("expected " + row.getParser().getHeaderMap().size() + " columns, found " + row.size());
    }
    for (String column : REQUIRED) {
      if (text(row, column) == null) {
        throw new IllegalArgumentException(column + " is empty");
      }
    }
    FacilityType type = FacilityType.ofCode(text(row, "type"));
    return new Facility(tenant, text(row, "id"), text(row, "name"), type,
        decimal(row, "latitude"), decimal(row, "longitude"), text(row, "address"),
        integer(row, "capacity"), integer(row, "min_age_months"), integer(row, "max_age_months"),
        text(row, "opening_hours"), integer(row, "vacancies"), text(row, "district"));
  }

  private static String text(CSVRecord row, String column) {
    if (!row.isMapped(column) || !row.isSet(column)) {
      return null;
    }
    String value = row.get(column);
    return value.isEmpty() ? null : value;
  }

  private static double decimal(CSVRecord row, String column) {
    String value = text(row, column);
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(column + " is not a number: '" + value + "'");
    }
  }

  private static Integer integer(CSVRecord row, String column) {
    String value = text(row, column);
    if (value == null) {
      return null;
    }
    try {
      return Integer.valueOf(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(column + " is not a whole number: '" + value + "'");
    }
  }

  private static Reader skipBom(Reader in) throws IOException {
    BufferedReader reader = new BufferedReader(in);
    reader.mark(1);
    if (reader.read() != '\uFEFF') {
      reader.reset();
    }
    return reader;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}

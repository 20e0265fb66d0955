package jp.tsunagu.search.facility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import jp.tsunagu.search.facility.FacilityImportException.RowError;
import org.junit.jupiter.api.Test;

class FacilityCsvImporterTest {

  static final String HEADER =
      "id,name,type,latitude,longitude,address,capacity,min_age_months,max_age_months,opening_hours,vacancies,district\n";

  final FacilityCsvImporter importer = new FacilityCsvImporter();

  List<Facility> read(String csv) {
    return importer.read("131016", new StringReader(csv));
  }

  @Test
  void readsGoodRowsWithOptionalColumnsEmpty() {
    List<Facility> list = read("\uFEFF" + HEADER
        + "n1,神田保育園,nursery,35.6950,139.7700,千代田区神田1-1,60,2,71,7:00-19:00,3,神田\n"
        + "s1,\"区立小学校（避難所）\",shelter,35.6900,139.7500,,500,,,,,麹町\n");
    assertEquals(2, list.size());
    assertEquals("神田保育園", list.get(0).name());
    assertEquals(3, list.get(0).vacancies());
    assertEquals(FacilityType.SHELTER, list.get(1).type());
    assertNull(list.get(1).minAgeMonths());
  }

  @Test
  void badRowsAreAllReportedWithLineAndReasonAndNothingIsReturned() {
    FacilityImportException e = assertThrows(FacilityImportException.class, () -> read(HEADER
        + "n1,神田保育園,nursery,35.69,139.77,,,,,,,\n"
        + "n2,,nursery,35.69,139.77,,,,,,,\n"
        + "n3,麹町保育園,zoo,35.69,139.77,,,,,,,\n"
        + "n4,番町保育園,nursery,north,139.77,,,,,,,\n"
        + "n5,九段保育園,nursery,95.0,139.77,,,,,,,\n"
        + "n1,重複保育園,nursery,35.69,139.77,,,,,,,\n"
        + "n6,年齢保育園,nursery,35.69,139.77,,,24,12,,,\n"
        + "n7,列不足\n"
        + "n8,空き保育園,nursery,35.69,139.77,,,,,,-2,\n"));
    List<RowError> errors = e.errors();
    assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), errors.stream().map(RowError::line).toList());
    assertEquals("name is empty", errors.get(0).reason());
    assertTrue(errors.get(1).reason().startsWith("unknown facility type 'zoo'"), errors.get(1).reason());
    assertEquals("latitude is not a number: 'north'", errors.get(2).reason());
    assertTrue(errors.get(3).reason().contains("out of range"));
    assertEquals("duplicate id 'n1'", errors.get(4).reason());
    assertEquals("min_age_months is greater than max_age_months", errors.get(5).reason());
    assertEquals("expected 12 columns, found 2", errors.get(6).reason());
    assertEquals("vacancies is negative", errors.get(7).reason());
  }

  @Test
  void missingRequiredColumnIsReportedOnTheHeader() {
    FacilityImportException e = assertThrows(FacilityImportException.class,
        () -> read("id,name,latitude,longitude\nn1,x,35,139\n"));
    assertEquals(List.of(new RowError(1, "missing column(s): type")), e.errors());
  }

  @Test
  void brokenQuotingIsReportedNotThrownRaw() {
    FacilityImportException e = assertThrows(FacilityImportException.class,
        () -> read(HEADER + "n1,\"unclosed,nursery,35.69,139.77,,,,,,,\n"));
    assertEquals(1, e.errors().size());
    assertTrue(e.errors().getFirst().reason().startsWith("unreadable CSV"), e.errors().toString());
  }
}

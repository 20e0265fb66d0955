package jp.tsunagu.search.facility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jp.tsunagu.search.InvalidSearchRequestException;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FacilityIndexTest {

  static final String CHIYODA = "131016";
  static final double WARD_LAT = 35.6940;
  static final double WARD_LON = 139.7536;

  @TempDir Path dir;
  AnalysisRegistry analysis;
  FacilityIndex index;

  @BeforeEach
  void open() throws Exception {
    analysis = new AnalysisRegistry();
    index = FacilityIndex.open(dir, analysis);
    List<Facility> list = new FacilityCsvImporter().read(CHIYODA, new StringReader(
        FacilityCsvImporterTest.HEADER
            // about 300 m east of the ward office
            + "n1,神田保育園,nursery,35.6940,139.7569,,60,2,71,7:00-19:00,0,神田\n"
            // about 900 m north
            + "n2,九段こども園,nursery,35.7021,139.7536,,90,0,71,7:00-20:00,4,九段\n"
            // about 1.8 km south
            + "n3,麹町乳児保育園,nursery,35.6778,139.7536,,30,0,24,7:00-18:00,2,麹町\n"
            + "l1,千代田図書館,library,35.6945,139.7540,,,,,10:00-22:00,,\n"
            + "s1,番町小学校,shelter,35.6880,139.7380,,800,,,,,番町\n"
            // far outside every radius used here
            + "x1,遠い保育園,nursery,36.5,140.5,,10,0,71,,5,\n"));
    assertTrue(index.awaitSearchable(index.replaceTenant(CHIYODA, list), Duration.ofSeconds(30)));
  }

  @AfterEach
  void close() throws Exception {
    index.close();
    analysis.close();
  }

  static List<String> ids(FacilityResults r) {
    return r.hits().stream().map(h -> h.facility().id()).toList();
  }

  @Test
  void nearestFirstWithinRadius() {
    FacilityResults r = index.search(FacilityQuery.near(WARD_LAT, WARD_LON, 1_000).tenants(CHIYODA).build());
    assertEquals(List.of("l1", "n1", "n2"), ids(r));
    double d = r.hits().get(1).distanceMetres();
    assertTrue(d > 250 && d < 350, "distance " + d);
    assertEquals(Map.of("nursery", 2L, "library", 1L), r.types());
  }

  @Test
  void byTypeAgeAndVacancy() {
    FacilityQuery.Builder near = FacilityQuery.near(WARD_LAT, WARD_LON, 5_000).tenants(CHIYODA).types("nursery");
    assertEquals(List.of("n1", "n2", "n3"), ids(index.search(near.build())));
    assertEquals(List.of("n1", "n2"), ids(index.search(FacilityQuery.near(WARD_LAT, WARD_LON, 5_000)
        .tenants(CHIYODA).types("nursery").ageMonths(36).build())));
    assertEquals(List.of("n2"), ids(index.search(FacilityQuery.near(WARD_LAT, WARD_LON, 5_000)
        .tenants(CHIYODA).types("nursery").ageMonths(36).withVacancies().build())));
    assertEquals(List.of("s1"), ids(index.search(FacilityQuery.near(WARD_LAT, WARD_LON, 5_000)
        .tenants(CHIYODA).types("shelter").build())));
  }

  @Test
  void byNameWithKanaVariants() {
    assertEquals(List.of("n2"), ids(index.search(FacilityQuery.near(WARD_LAT, WARD_LON, 5_000)
        .tenants(CHIYODA).name("子供園").build())));
    assertEquals(List.of("l1"), ids(index.search(FacilityQuery.near(WARD_LAT, WARD_LON, 5_000)
        .tenants(CHIYODA).name("図書館").build())));
  }

  @Test
  void replacingATenantsListIsAtomic() throws Exception {
    var token = index.replaceTenant(CHIYODA, List.of(new Facility(CHIYODA, "only", "新しい避難所", FacilityType.SHELTER,
        WARD_LAT, WARD_LON, "", 100, null, null, "", null, "")));
    assertTrue(index.awaitSearchable(token, Duration.ofSeconds(30)));
    assertEquals(List.of("only"), ids(index.search(FacilityQuery.near(WARD_LAT, WARD_LON, 50_000).tenants(CHIYODA).build())));
  }

  @Test
  void absurdRequestsAreRejected() {
    assertThrows(InvalidSearchRequestException.class, () -> FacilityQuery.near(WARD_LAT, WARD_LON, 1e9).tenants(CHIYODA).build());
    assertThrows(InvalidSearchRequestException.class, () -> FacilityQuery.near(200, WARD_LON, 100).tenants(CHIYODA).build());
    assertThrows(InvalidSearchRequestException.class, () -> FacilityQuery.near(WARD_LAT, WARD_LON, 100).tenants(CHIYODA).limit(10_000).build());
    InvalidSearchRequestException e = assertThrows(InvalidSearchRequestException.class,
        () -> FacilityQuery.near(WARD_LAT, WARD_LON, 100).tenants(CHIYODA).types("zoo"));
    assertEquals(InvalidSearchRequestException.Reason.UNKNOWN_FACET, e.reason());
  }
}

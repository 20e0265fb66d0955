package jp.tsunagu.platform.content;

import static jp.tsunagu.platform.content.ContentTesting.assertProblem;
import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.api.model.FacilityItem;
import jp.tsunagu.api.model.FacilityResults;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.Poll;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Facilities imported as CSV into PostgreSQL and the index; found by distance or by district, with filters. */
class FacilityFlowIT {
  static final String SHIMADA = Fixtures.SHIMADA;
  static final BigDecimal CITY_HALL_LAT = new BigDecimal("34.8363");
  static final BigDecimal CITY_HALL_LON = new BigDecimal("138.1766");
  static final String CSV = """
      id,name,type,latitude,longitude,address,capacity,min_age_months,max_age_months,opening_hours,vacancies,district
      n1,島田保育園,nursery,34.8370,138.1770,島田市本通一丁目,60,6,71,7:00-19:00,3,d1
      n2,六合こども園,nursery,34.8450,138.1950,島田市六合,90,0,71,7:30-18:30,0,d2
      n3,本通ひよこ保育園,nursery,34.8372,138.1775,島田市本通一丁目,30,0,35,7:00-18:00,0,d1
      l1,島田市立島田図書館,library,34.8350,138.1760,島田市本通,,,,9:00-19:00,,d1
      s1,第一小学校体育館,shelter,34.8380,138.1800,,500,,,,,d1
      """;
  static TestPlatform node;
  static ApiClient editorClient;
  static ContentApi editor;
  static ContentApi anonymous;

  @BeforeAll
  static void start() throws Exception {
    node = TestPlatform.start();
    new Fixtures(node).tenantWithStaff(SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    editorClient = ContentTesting.staff(node, "editor@shimada.example");
    editor = new ContentApi(editorClient);
    anonymous = new ContentApi(node.client());
    assertEquals(5, editor.importFacilities(SHIMADA, CSV).getImported());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static FacilityResults near(List<String> types, Integer age, Boolean vacancies, int radius) throws Exception {
    return anonymous.searchFacilities(List.of(SHIMADA), CITY_HALL_LAT, CITY_HALL_LON, BigDecimal.valueOf(radius), null, types,
        age, vacancies, null, 20);
  }

  static List<String> ids(FacilityResults r) {
    return r.getItems().stream().map(FacilityItem::getId).toList();
  }

  @Test
  void nearestFirstWithinTheRadiusWithTypeAgeAndVacancyFilters() throws Exception {
    Poll.until(Duration.ofSeconds(5), "the facilities are searchable", () -> near(null, null, null, 1500).getTotal() == 4);
    FacilityResults all = near(null, null, null, 1500);
    assertEquals(List.of("n1", "n3", "l1", "s1"), ids(all), "nearest first; n2 is 1.9 km away");
    assertTrue(all.getItems().get(0).getDistanceMetres().doubleValue() < 120);
    assertEquals(2L, all.getTypes().get("nursery"));
    assertEquals(List.of("n1", "n3"), ids(near(List.of("nursery"), 12, null, 1500)));
    assertEquals(List.of("n1"), ids(near(List.of("nursery"), 48, null, 1500)), "n3 takes children up to 35 months");
    assertEquals(List.of("n1"), ids(near(List.of("nursery"), null, true, 1500)));
    assertEquals(List.of("n1", "n3", "n2"), ids(near(List.of("nursery"), null, null, 5000)));
  }

  @Test
  void byDistrictWithFilters() throws Exception {
    FacilityResults d1 = anonymous.searchFacilities(List.of(SHIMADA), null, null, null, "d1", null, null, null, null, 20);
    assertEquals(Set.of("n1", "n3", "l1", "s1"), Set.copyOf(ids(d1)));
    assertNull(d1.getItems().get(0).getDistanceMetres());
    assertEquals(List.of("n1"), ids(anonymous.searchFacilities(List.of(SHIMADA), null, null, null, "d1", List.of("nursery"),
        null, true, null, 20)));
    assertEquals(List.of("n1"), ids(anonymous.searchFacilities(List.of(SHIMADA), null, null, null, "d1", List.of("nursery"),
        48, null, null, 20)));
  }

  @Test
  void badImportsChangeNothingAndListEveryBadLine() throws Exception {
    String bad = """
        id,name,type,latitude,longitude
        x1,動物園,zoo,34.8,138.1
        x2,公園,library,north,138.1
        x3,図書館,library,34.8,138.1
        """;
    assertProblem(422, "invalid-csv-rows", () -> editor.importFacilities(SHIMADA, bad));
    try {
      editor.importFacilities(SHIMADA, bad);
    } catch (jp.tsunagu.api.invoker.ApiException e) {
      String lines = new io.vertx.core.json.JsonObject(e.getResponseBody()).getJsonArray("errors").stream()
          .map(o -> String.valueOf(((io.vertx.core.json.JsonObject) o).getLong("line"))).collect(Collectors.joining(","));
      assertEquals("2,3", lines);
    }
    assertEquals(5L, await(node.platform().services().pool().query("SELECT count(*) FROM facility").execute())
        .iterator().next().getLong(0));
    HttpResponse<String> json = editorClient.getHttpClient().send(HttpRequest.newBuilder(
            URI.create(node.baseUrl() + "/api/v1/tenants/" + SHIMADA + "/facilities"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(415, json.statusCode(), json.body());
    assertProblem(401, "unauthenticated", () -> anonymous.importFacilities(SHIMADA, CSV));
  }

  @Test
  void badFacilitySearchesAreClearProblems() {
    assertProblem(400, "search-unknown-facet", () -> near(List.of("zoo"), null, null, 1500));
    assertProblem(400, "search-bad-argument", () -> near(null, null, null, 100_000));
    assertProblem(400, "search-bad-argument", () -> anonymous.searchFacilities(List.of(SHIMADA), CITY_HALL_LAT, CITY_HALL_LON,
        null, "d1", null, null, null, null, 20));
    assertProblem(400, "search-bad-argument", () -> anonymous.searchFacilities(List.of(SHIMADA), null, null, null, null, null,
        null, null, null, 20));
    assertProblem(400, "search-page-size", () -> anonymous.searchFacilities(List.of(SHIMADA), CITY_HALL_LAT, CITY_HALL_LON,
        null, null, null, null, null, null, 500));
    assertProblem(400, "search-unknown-facet", () -> anonymous.searchFacilities(List.of(SHIMADA), null, null, null, "d1",
        List.of("zoo"), null, null, null, 20));
  }
}

package jp.tsunagu.platform.sitesearch;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.platform.content.FacilityRepository;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.search.facility.Facility;
import jp.tsunagu.search.facility.FacilityQuery;
import jp.tsunagu.search.facility.FacilityResults;
import jp.tsunagu.search.facility.FacilityType;

/**
 * Facility finder: by distance from a point through this node's facility index (nearest first), or
 * by the address district from PostgreSQL (by name), with the same filters either way.
 */
public final class FacilitySearch {
  /** What the citizen asked for; a point (latitude and longitude) or a district, not both. */
  public record Request(List<String> tenants, Double latitude, Double longitude, double radius, String district,
                        List<String> types, Integer ageMonths, boolean withVacancies, String name, int limit) {}

  private final SearchService search;
  private final SearchIndexes indexes;
  private final FacilityRepository facilities;

  public FacilitySearch(SearchService search, SearchIndexes indexes, FacilityRepository facilities) {
    this.search = search;
    this.indexes = indexes;
    this.facilities = facilities;
  }

  public Future<JsonObject> find(Request r) {
    boolean point = r.latitude() != null || r.longitude() != null;
    boolean district = r.district() != null && !r.district().isBlank();
    if (point == district || point && (r.latitude() == null || r.longitude() == null)) {
      return Future.failedFuture(new ProblemException(400, "search-bad-argument", "Invalid search",
          "give either latitude and longitude, or a district (with one tenant)"));
    }
    if (r.limit() < 1 || r.limit() > FacilityQuery.MAX_LIMIT) {
      return Future.failedFuture(new ProblemException(400, "search-page-size", "Invalid search",
          "limit must be between 1 and " + FacilityQuery.MAX_LIMIT));
    }
    return point ? near(r) : inDistrict(r);
  }

  private Future<JsonObject> near(Request r) {
    return search.tenants(r.tenants()).compose(tenants -> indexes.query(() -> {
      FacilityQuery.Builder b = FacilityQuery.near(r.latitude(), r.longitude(), r.radius())
          .tenants(tenants.toArray(String[]::new)).types(r.types().toArray(String[]::new)).name(r.name()).limit(r.limit());
      if (r.ageMonths() != null) {
        b.ageMonths(r.ageMonths());
      }
      if (r.withVacancies()) {
        b.withVacancies();
      }
      return indexes.facilities().search(b.build());
    }).recover(SearchService::problem)).map(FacilitySearch::toJson);
  }

  private Future<JsonObject> inDistrict(Request r) {
    if (r.tenants().size() != 1) {
      return Future.failedFuture(new ProblemException(400, "search-bad-argument", "Invalid search",
          "a district search needs exactly one tenant"));
    }
    for (String type : r.types()) {
      try {
        FacilityType.ofCode(type);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new ProblemException(400, "search-unknown-facet", "Invalid search", e.getMessage()));
      }
    }
    return search.tenants(r.tenants())
        .compose(t -> facilities.inDistrict(r.tenants().get(0), r.district(), r.types(), r.ageMonths(), r.withVacancies(), r.limit()))
        .map(list -> {
          JsonArray items = new JsonArray();
          Map<String, Long> types = new LinkedHashMap<>();
          list.forEach(f -> {
            items.add(item(f, null));
            types.merge(f.type().code(), 1L, Long::sum);
          });
          return new JsonObject().put("total", (long) list.size()).put("items", items).put("types", new JsonObject(new LinkedHashMap<>(types)));
        });
  }

  private static JsonObject toJson(FacilityResults r) {
    JsonArray items = new JsonArray();
    r.hits().forEach(h -> items.add(item(h.facility(), Math.round(h.distanceMetres() * 10) / 10.0)));
    return new JsonObject().put("total", r.total()).put("items", items).put("types", new JsonObject(new LinkedHashMap<>(r.types())));
  }

  private static JsonObject item(Facility f, Double metres) {
    return new JsonObject().put("id", f.id()).put("tenantCode", f.tenant()).put("name", f.name()).put("type", f.type().code())
        .put("latitude", f.latitude()).put("longitude", f.longitude()).put("address", f.address()).put("capacity", f.capacity())
        .put("minAgeMonths", f.minAgeMonths()).put("maxAgeMonths", f.maxAgeMonths()).put("openingHours", f.openingHours())
        .put("vacancies", f.vacancies()).put("district", f.district()).put("distanceMetres", metres);
  }
}

package jp.tsunagu.search.facility;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jp.tsunagu.search.InvalidSearchRequestException;
import jp.tsunagu.search.InvalidSearchRequestException.Reason;
import jp.tsunagu.search.TenantCode;

/**
 * A validated facility search: facilities within {@code radiusMetres} of a point, nearest first,
 * optionally of some types, accepting a child of {@code ageMonths}, with vacancies, or whose
 * name matches {@code name}. Build with {@link #near}.
 */
public record FacilityQuery(
    Set<String> tenants,
    double latitude,
    double longitude,
    double radiusMetres,
    Set<FacilityType> types,
    Integer ageMonths,
    boolean withVacancies,
    String name,
    int limit) {

  public static final double MAX_RADIUS_METRES = 50_000;
  public static final int MAX_LIMIT = 100;

  public static Builder near(double latitude, double longitude, double radiusMetres) {
    return new Builder(latitude, longitude, radiusMetres);
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private final double latitude;
    private final double longitude;
    private final double radius;
    private final Set<String> tenants = new LinkedHashSet<>();
    private final Set<FacilityType> types = EnumSet.noneOf(FacilityType.class);
    private Integer ageMonths;
    private boolean withVacancies;
    private String name = "";
    private int limit = 20;

    Builder(double latitude, double longitude, double radius) {
      this.latitude = latitude;
      this.longitude = longitude;
      this.radius = radius;
    }

    public Builder tenants(String... codes) {
      tenants.addAll(List.of(codes));
      return this;
    }

    /** Facility type codes ("nursery", "shelter", …). */
    public Builder types(String... codes) {
      for (String code : codes) {
        try {
          types.add(FacilityType.ofCode(code));
        } catch (IllegalArgumentException e) {
          throw new InvalidSearchRequestException(Reason.UNKNOWN_FACET, e.getMessage());
        }
      }
      return this;
    }

    public Builder ageMonths(int months) {
      this.ageMonths = months;
      return this;
    }

    public Builder withVacancies() {
      this.withVacancies = true;
      return this;
    }

    public Builder name(String text) {
      this.name = text == null ? "" : text;
      return this;
    }

    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    public FacilityQuery build() {
      if (tenants.isEmpty()) {
        throw new InvalidSearchRequestException(Reason.BAD_ARGUMENT, "at least one tenant code is required");
      }
      tenants.forEach(TenantCode::require);
      if (!(latitude >= -90 && latitude <= 90 && longitude >= -180 && longitude <= 180)) {
        throw new InvalidSearchRequestException(Reason.BAD_ARGUMENT, "latitude/longitude out of range");
      }
      if (!(radius > 0 && radius <= MAX_RADIUS_METRES)) {
        throw new InvalidSearchRequestException(Reason.BAD_ARGUMENT,
            "radius must be more than 0 and at most " + (int) MAX_RADIUS_METRES + " metres");
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new InvalidSearchRequestException(Reason.PAGE_SIZE, "limit must be between 1 and " + MAX_LIMIT);
      }
      if (ageMonths != null && (ageMonths < 0 || ageMonths > 1200)) {
        throw new InvalidSearchRequestException(Reason.BAD_ARGUMENT, "age must be 0..1200 months");
      }
      if (name.length() > jp.tsunagu.search.page.UserQuery.MAX_LENGTH) {
        throw new InvalidSearchRequestException(Reason.QUERY_TOO_LONG, "name query too long");
      }
      return new FacilityQuery(Set.copyOf(tenants), latitude, longitude, radius, Set.copyOf(types), ageMonths,
          withVacancies, name, limit);
    }
  }
}

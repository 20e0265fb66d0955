package jp.tsunagu.search.facility;

import java.util.Objects;
import jp.tsunagu.search.TenantCode;

/**
 * A public facility with a location. Optional numbers are {@code null} when unknown.
 *
 * @param minAgeMonths youngest age accepted (nurseries), in months
 * @param maxAgeMonths oldest age accepted, in months
 * @param vacancies free places now (nurseries) or free capacity (shelters)
 */
public record Facility(
    String tenant,
    String id,
    String name,
    FacilityType type,
    double latitude,
    double longitude,
    String address,
    Integer capacity,
    Integer minAgeMonths,
    Integer maxAgeMonths,
    String openingHours,
    Integer vacancies,
    String district) {

  public Facility {
    TenantCode.require(tenant);
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id is empty");
    }
    if (name.isBlank()) {
      throw new IllegalArgumentException("name is empty");
    }
    if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
      throw new IllegalArgumentException("latitude/longitude out of range: " + latitude + "," + longitude);
    }
    requireNonNegative(capacity, "capacity");
    requireNonNegative(minAgeMonths, "min_age_months");
    requireNonNegative(maxAgeMonths, "max_age_months");
    requireNonNegative(vacancies, "vacancies");
    if (minAgeMonths != null && maxAgeMonths != null && minAgeMonths > maxAgeMonths) {
      throw new IllegalArgumentException("min_age_months is greater than max_age_months");
    }
    address = Objects.requireNonNullElse(address, "");
    openingHours = Objects.requireNonNullElse(openingHours, "");
    district = Objects.requireNonNullElse(district, "");
  }

  private static void requireNonNegative(Integer value, String name) {
    if (value != null && value < 0) {
      throw new IllegalArgumentException(name + " is negative");
    }
  }
}

package jp.tsunagu.search.facility;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Kinds of facility; the code is what CSV files, the index and the API use. */
public enum FacilityType {
  NURSERY,
  KINDERGARTEN,
  LIBRARY,
  CLINIC,
  SHELTER,
  COMMUNITY_CENTER;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException naming the known codes */
  public static FacilityType ofCode(String code) {
    for (FacilityType t : values()) {
      if (t.code().equals(code)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown facility type '" + code + "'; known: "
        + Arrays.stream(values()).map(FacilityType::code).collect(Collectors.joining(", ")));
  }
}

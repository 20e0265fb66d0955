package jp.tsunagu.platform.oidc;

import java.util.List;
import java.util.Optional;

/**
 * Authentication context classes: what the platform knows of the citizen when a token is issued.
 * E-mail verified is the floor for every service; resident-verified means the account holds a
 * residence verified with a municipality's one-time code (住民照合).
 */
public final class Acr {
  public static final String EMAIL = "urn:tsunagu:acr:email-verified";
  public static final String RESIDENT = "urn:tsunagu:acr:resident-verified";
  public static final List<String> SUPPORTED = List.of(EMAIL, RESIDENT);

  private Acr() {}

  public static String of(boolean resident) {
    return resident ? RESIDENT : EMAIL;
  }

  /**
   * The class to assert for a request's {@code acr_values} (in order of preference), or empty if
   * none of the requested classes is met yet. No request means the account's own level.
   */
  public static Optional<String> choose(List<String> requested, boolean resident) {
    List<String> known = requested.stream().filter(SUPPORTED::contains).toList();
    if (known.isEmpty()) {
      return Optional.of(of(resident));
    }
    for (String r : known) {
      if (RESIDENT.equals(r) && resident || EMAIL.equals(r)) {
        return Optional.of(resident && known.contains(RESIDENT) ? RESIDENT : r);
      }
    }
    return Optional.empty();
  }
}

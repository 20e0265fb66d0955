package jp.tsunagu.platform.oidc;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Scope names: the citizen scopes of OpenID Connect (and the municipality), and API scopes for services. */
public final class Scopes {
  public static final String OPENID = "openid";
  /** Scopes that release something about a citizen; a client-credentials token never carries them. */
  public static final List<String> CITIZEN = List.of(OPENID, "profile", "email", "address", "municipality", "offline_access");
  private static final Pattern TOKEN = Pattern.compile("[a-z][a-z0-9_.:-]{0,63}");

  private Scopes() {}

  /** Parses a space-separated scope parameter (RFC 6749 §3.3); null for a malformed one. */
  public static Set<String> parse(String text) {
    Set<String> out = new LinkedHashSet<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String s : text.trim().split(" +")) {
      if (!TOKEN.matcher(s).matches()) {
        return null;
      }
      out.add(s);
    }
    return out;
  }

  public static boolean wellFormed(String scope) {
    return TOKEN.matcher(scope).matches();
  }

  public static String join(Set<String> scopes) {
    return String.join(" ", scopes);
  }
}

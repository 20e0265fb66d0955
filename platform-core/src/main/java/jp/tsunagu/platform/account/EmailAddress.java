package jp.tsunagu.platform.account;

import java.util.Locale;
import java.util.regex.Pattern;
import jp.tsunagu.platform.http.ProblemException;

/** Checks and normalises e-mail addresses (trimmed, lower case, at most 254 characters). */
public final class EmailAddress {
  private static final Pattern SHAPE = Pattern.compile(
      "^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$");

  private EmailAddress() {}

  public static String normalise(String input) {
    String email = input == null ? "" : input.trim().toLowerCase(Locale.ROOT);
    if (email.length() > 254 || !SHAPE.matcher(email).matches()) {
      throw ProblemException.badRequest("invalid-email", "Not a valid e-mail address");
    }
    return email;
  }
}

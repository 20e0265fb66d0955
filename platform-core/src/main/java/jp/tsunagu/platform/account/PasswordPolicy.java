package jp.tsunagu.platform.account;

import java.util.Locale;
import java.util.Set;
import jp.tsunagu.platform.http.ProblemException;

/**
 * Password rules after NIST SP 800-63B: long enough, not absurdly long, not a known common
 * password, not the e-mail address, not one repeated character. No composition rules.
 */
public final class PasswordPolicy {
  public static final int MIN_LENGTH = 10;
  public static final int MAX_LENGTH = 128;
  private static final Set<String> COMMON = Set.of(
      "password", "password1", "password12", "password123", "passw0rd", "1234567890", "12345678901",
      "123456789012", "qwertyuiop", "qwerty1234", "iloveyou12", "1q2w3e4r5t", "abcdefghij", "abc1234567",
      "0123456789", "9876543210", "aaaaaaaaaa", "letmein123", "welcome123", "admin12345", "tsunagu123",
      "changeme12", "qazwsxedcr", "zaq12wsxcde", "1qaz2wsx3edc", "sunshine12", "princess12", "football12");

  private PasswordPolicy() {}

  public static void check(String password, String email) {
    if (password == null) {
      throw weak("A password is required");
    }
    int length = password.codePointCount(0, password.length());
    if (length < MIN_LENGTH) {
      throw weak("The password must have at least " + MIN_LENGTH + " characters");
    }
    if (length > MAX_LENGTH) {
      throw weak("The password must have at most " + MAX_LENGTH + " characters");
    }
    String lower = password.toLowerCase(Locale.ROOT);
    if (COMMON.contains(lower)) {
      throw weak("This password is too common");
    }
    if (password.codePoints().distinct().count() < 3) {
      throw weak("The password repeats too few characters");
    }
    if (email != null && (lower.equals(email) || lower.equals(email.split("@")[0]))) {
      throw weak("The password must not be the e-mail address");
    }
  }

  private static ProblemException weak(String detail) {
    return ProblemException.unprocessable("weak-password", detail);
  }
}

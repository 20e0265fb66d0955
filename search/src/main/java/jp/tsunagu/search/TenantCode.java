package jp.tsunagu.search;

/**
 * Validation of the 6-digit local government code (全国地方公共団体コード) that keys every tenant.
 * The sixth digit is a check digit over the first five (weights 6..2, modulus 11).
 */
public final class TenantCode {

  private TenantCode() {}

  /** Returns the code unchanged when valid; otherwise throws {@link InvalidSearchRequestException}. */
  public static String require(String code) {
    if (!isValid(code)) {
      throw new InvalidSearchRequestException(
          InvalidSearchRequestException.Reason.BAD_ARGUMENT,
          "not a 6-digit local government code with a valid check digit: " + code);
    }
    return code;
  }

  public static boolean isValid(String code) {
    if (code == null || code.length() != 6) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 6; i++) {
      char c = code.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      if (i < 5) {
        sum += (c - '0') * (6 - i);
      }
    }
    int check = (11 - sum % 11) % 10;
    return check == code.charAt(5) - '0';
  }
}

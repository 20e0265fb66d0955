package jp.tsunagu.platform.tenant;

/**
 * The check digit of a local government code (全国地方公共団体コード): the sixth digit is
 * 11 - (sum of the first five digits weighted 6,5,4,3,2) mod 11, taken mod 10.
 */
public final class CheckDigit {
  private CheckDigit() {}

  public static boolean valid(String code) {
    if (code == null || !code.matches("[0-9]{6}")) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 5; i++) {
      sum += (code.charAt(i) - '0') * (6 - i);
    }
    int digit = (11 - sum % 11) % 10;
    return digit == code.charAt(5) - '0';
  }
}

package jp.tsunagu.consent.declaration;

import java.util.regex.Pattern;

final class Declarations {
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

  private Declarations() {}

  static void requireId(String id, String what) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(what + " must match " + ID.pattern() + ": " + id);
    }
  }
}

package jp.tsunagu.platform.sitesearch;

import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Locale;
import jp.tsunagu.platform.http.ProblemException;

/**
 * The query parameters of the search operations, read and checked against the limits the contract
 * states. These routes skip the contract's validator because it decodes query values as JSON: a
 * search starting with a quote (a phrase) would be refused and a municipality code read as a
 * number. Every other check the validator would make is made here.
 */
final class SearchParams {
  private final MultiMap params;

  SearchParams(MultiMap params) {
    this.params = params;
  }

  String text(String name, int maxLength, String fallback) {
    List<String> all = params.getAll(name);
    if (all.size() > 1) {
      throw invalid(name + " is given more than once");
    }
    String value = all.isEmpty() ? fallback : all.get(0);
    if (value != null && value.length() > maxLength) {
      throw invalid(name + " is longer than " + maxLength + " characters");
    }
    return value;
  }

  List<String> list(String name, int maxItems, int maxLength) {
    List<String> all = params.getAll(name);
    if (all.size() > maxItems) {
      throw invalid(name + " is given more than " + maxItems + " times");
    }
    for (String v : all) {
      if (v.length() > maxLength) {
        throw invalid("a value of " + name + " is longer than " + maxLength + " characters");
      }
    }
    return List.copyOf(all);
  }

  List<String> tenants() {
    List<String> codes = list("tenant", 100, 6);
    for (String code : codes) {
      if (!code.matches("[0-9]{6}")) {
        throw invalid("tenant must be a 6-digit local government code");
      }
    }
    return codes;
  }

  Integer integer(String name, Integer fallback) {
    String v = text(name, 12, null);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw invalid(name + " must be a whole number");
    }
  }

  Double number(String name) {
    String v = text(name, 30, null);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      double d = Double.parseDouble(v.strip());
      if (!Double.isFinite(d)) {
        throw invalid(name + " must be a finite number");
      }
      return d;
    } catch (NumberFormatException e) {
      throw invalid(name + " must be a number");
    }
  }

  boolean bool(String name) {
    String v = text(name, 5, "false").strip().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true" -> true;
      case "false", "" -> false;
      default -> throw invalid(name + " must be true or false");
    };
  }

  private static ProblemException invalid(String detail) {
    return ProblemException.badRequest("invalid-request", detail);
  }
}

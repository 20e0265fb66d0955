package jp.tsunagu.platform.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration key: its name, default, description and how its text is parsed and checked.
 *
 * @param key dotted name used in the configuration file
 * @param defaultValue text used when neither the file nor the environment sets the key
 * @param description one line for docs/configuration.md
 * @param parser turns the text into the typed value; throws {@link IllegalArgumentException} with
 *     the reason when the text is invalid
 */
public record Setting<T>(String key, String defaultValue, String description, Function<String, T> parser) {

  /** The environment variable that overrides this key: TSUNAGU_ + upper snake case of the key. */
  public String environmentVariable() {
    StringBuilder out = new StringBuilder("TSUNAGU_");
    for (char c : key.toCharArray()) {
      if (c == '.' || c == '-') {
        out.append('_');
      } else if (Character.isUpperCase(c)) {
        out.append('_').append(c);
      } else {
        out.append(Character.toUpperCase(c));
      }
    }
    return out.toString().toUpperCase(Locale.ROOT);
  }

  T parse(String text) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "configuration key '" + key + "' (" + environmentVariable() + "): " + e.getMessage());
    }
  }

  static Function<String, Integer> intBetween(int min, int max) {
    return text -> {
      int value;
      try {
        value = Integer.parseInt(text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a whole number");
      }
      if (value < min || value > max) {
        throw new IllegalArgumentException(value + " is outside " + min + ".." + max);
      }
      return value;
    };
  }

  static Function<String, Boolean> bool() {
    return text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
    };
  }

  static Function<String, String> text() {
    return String::trim;
  }
}

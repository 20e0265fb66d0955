package jp.tsunagu.platform.web;

import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import jp.tsunagu.platform.http.ProblemException;

/**
 * Page texts in Japanese and English ({@code i18n/messages_*.properties}), and the template
 * function {@code t('key', args…)}. Bundles are read on first use, which happens on the page worker
 * threads, never on an event loop.
 */
final class Messages extends AbstractExtension {
  static final List<String> LANGUAGES = List.of("ja", "en");

  private static final class Bundles {
    static final ResourceBundle JA = load(Locale.JAPANESE);
    static final ResourceBundle EN = load(Locale.ENGLISH);

    private static ResourceBundle load(Locale locale) {
      return ResourceBundle.getBundle("i18n.messages", locale,
          ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }
  }

  static String text(String lang, String key, Object... args) {
    ResourceBundle bundle = "en".equals(lang) ? Bundles.EN : Bundles.JA;
    String pattern;
    try {
      pattern = bundle.getString(key);
    } catch (MissingResourceException e) {
      return key;
    }
    return new MessageFormat(pattern, Locale.forLanguageTag(lang)).format(args);
  }

  static boolean has(String lang, String key) {
    return ("en".equals(lang) ? Bundles.EN : Bundles.JA).containsKey(key);
  }

  /** What a person reads for a refused request: a translated text for known problem types, else the detail. */
  static String problem(String lang, ProblemException p) {
    String key = "problem." + p.type();
    if (p.status() == 429 && p.extensions() != null) {
      return text(lang, "problem.rate-limited", p.extensions().getLong("retryAfter"));
    }
    return has(lang, key) ? text(lang, key, detailArgument(p)) : p.detail();
  }

  /** For unknown-district and invalid-csv the detail names what is wrong; it goes into the translated text. */
  private static String detailArgument(ProblemException p) {
    String detail = p.detail() == null ? "" : p.detail();
    int colon = detail.indexOf(": ");
    return colon < 0 ? detail : detail.substring(colon + 2);
  }

  @Override
  public Map<String, Function> getFunctions() {
    return Map.of("t", new Translate());
  }

  private static final class Translate implements Function {
    @Override
    public List<String> getArgumentNames() {
      return null;
    }

    @Override
    public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int lineNumber) {
      List<Object> rest = new ArrayList<>();
      for (int i = 1; args.containsKey(String.valueOf(i)); i++) {
        rest.add(args.get(String.valueOf(i)));
      }
      return text(context.getLocale().getLanguage(), String.valueOf(args.get("0")), rest.toArray());
    }
  }
}

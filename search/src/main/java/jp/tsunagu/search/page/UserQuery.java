package jp.tsunagu.search.page;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.search.InvalidSearchRequestException;
import jp.tsunagu.search.InvalidSearchRequestException.Reason;

/**
 * The query language citizens type, parsed. Deliberately small and closed (no field names, so a
 * query can never reach internal fields such as the tenant):
 *
 * <pre>
 *   query   := group (space group)*        every group must match
 *   group   := clause (" OR " clause)*     any clause of the group may match
 *   clause  := ["-"] (word | '"' words '"')  "-" excludes, quotes ask for the exact phrase
 * </pre>
 *
 * Full-width spaces, quotes and minus signs are folded (NFKC) first. Limits: {@value
 * #MAX_LENGTH} characters and {@value #MAX_CLAUSES} clauses.
 */
public record UserQuery(List<List<Clause>> groups, List<Clause> excluded) {

  public static final int MAX_LENGTH = 256;
  public static final int MAX_CLAUSES = 16;

  /** One word or phrase. */
  public record Clause(String text, boolean phrase) {}

  public static final UserQuery EMPTY = new UserQuery(List.of(), List.of());

  public boolean isEmpty() {
    return groups.isEmpty();
  }

  /** Parses the typed text; blank text is the empty query (filters only). */
  public static UserQuery parse(String typed) {
    if (typed == null || typed.isBlank()) {
      return EMPTY;
    }
    if (typed.length() > MAX_LENGTH) {
      throw new InvalidSearchRequestException(Reason.QUERY_TOO_LONG,
          "the query is " + typed.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
    }
    String text = Normalizer.normalize(typed, Normalizer.Form.NFKC)
        .replace('\u201C', '"').replace('\u201D', '"').replace('\u300C', '"').replace('\u300D', '"')
        .replace('\u2212', '-');
    List<String> tokens = tokenize(text);
    List<List<Clause>> groups = new ArrayList<>();
    List<Clause> excluded = new ArrayList<>();
    List<Clause> current = null;
    boolean afterOr = false;
    int clauses = 0;
    for (String token : tokens) {
      if (token.equals("OR")) {
        if (current == null || afterOr) {
          throw syntax("OR needs a word on both sides");
        }
        afterOr = true;
        continue;
      }
      boolean negated = token.startsWith("-");
      String body = negated ? token.substring(1) : token;
      if (body.isEmpty()) {
        throw syntax("a minus sign must be followed by the word to exclude");
      }
      boolean phrase = body.startsWith("\"");
      String value = phrase ? body.substring(1, body.length() - 1).strip() : body;
      if (value.isEmpty()) {
        throw syntax("empty quotes");
      }
      if (++clauses > MAX_CLAUSES) {
        throw new InvalidSearchRequestException(Reason.QUERY_TOO_LONG,
            "the query has more than " + MAX_CLAUSES + " words");
      }
      Clause clause = new Clause(value, phrase);
      if (negated) {
        if (afterOr) {
          throw syntax("an excluded word cannot be one side of OR");
        }
        excluded.add(clause);
      } else if (afterOr) {
        current.add(clause);
      } else {
        current = new ArrayList<>();
        current.add(clause);
        groups.add(current);
      }
      afterOr = false;
    }
    if (afterOr) {
      throw syntax("OR needs a word on both sides");
    }
    if (groups.isEmpty() && !excluded.isEmpty()) {
      throw syntax("a query cannot only exclude words");
    }
    return new UserQuery(groups.stream().map(List::copyOf).toList(), List.copyOf(excluded));
  }

  private static List<String> tokenize(String text) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      int start = i;
      if (c == '-' && i + 1 < n && text.charAt(i + 1) == '"') {
        i++;
        c = '"';
      }
      if (c == '"') {
        int close = text.indexOf('"', i + 1);
        if (close < 0) {
          throw syntax("a quotation mark is not closed");
        }
        i = close + 1;
        if (i < n && !Character.isWhitespace(text.charAt(i))) {
          throw syntax("a closing quotation mark must be followed by a space");
        }
      } else {
        while (i < n && !Character.isWhitespace(text.charAt(i))) {
          if (text.charAt(i) == '"') {
            throw syntax("a quotation mark must start a word");
          }
          i++;
        }
      }
      tokens.add(text.substring(start, i));
    }
    return tokens;
  }

  private static InvalidSearchRequestException syntax(String message) {
    return new InvalidSearchRequestException(Reason.QUERY_SYNTAX, message);
  }
}

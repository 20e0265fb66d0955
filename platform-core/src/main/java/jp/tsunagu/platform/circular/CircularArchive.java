package jp.tsunagu.platform.circular;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import jp.tsunagu.platform.http.ProblemException;

/**
 * The association's archive of past circulars (回覧板の保管), for its current members and officers:
 * what a paper circular's folder holds, searchable. Circulars are notices to the neighbourhood,
 * not members' data, so a member also finds the ones sent before they joined; reading from the
 * archive writes no read receipt.
 *
 * <p>Search is a substring match of every word in the title or text, after the same folding on
 * both sides in PostgreSQL: NFKC (full and half width), lower case, and hiragana to katakana, so
 * 「ごみ」 finds 「ゴミ」 and 「ＧＯＭＩ」 finds "gomi". An association sends tens of circulars a year;
 * the scan is restricted to its own rows by the {@code circular_association} index.
 */
public final class CircularArchive {
  static final int MAX_WORDS = 8;
  static final int EXCERPT_CHARS = 120;
  private static final ZoneId JST = ZoneId.of("Asia/Tokyo");
  private static final String HIRAGANA = range('ぁ', 'ゖ');
  private static final String KATAKANA = range('ァ', 'ヶ');
  /** The folding applied to stored text and to the query alike. */
  private static final String FOLD = "translate(lower(normalize(%s, NFKC)), '" + HIRAGANA + "', '" + KATAKANA + "')";

  private final Pool pool;

  public CircularArchive(Pool pool) {
    this.pool = pool;
  }

  /** One page of the search, and the number of all matches. */
  public record Page(int total, JsonArray items) {}

  public Future<Page> search(UUID accountId, UUID associationId, String query, LocalDate from, LocalDate to,
                             int limit, int offset) {
    if (from != null && to != null && from.isAfter(to)) {
      return Future.failedFuture(ProblemException.badRequest("invalid-date-range", "from is after to"));
    }
    List<String> words = words(query);
    if (words.size() > MAX_WORDS) {
      return Future.failedFuture(ProblemException.badRequest("query-too-long", "At most " + MAX_WORDS + " words"));
    }
    StringBuilder where = new StringBuilder("c.association_id = $1");
    List<Object> args = new ArrayList<>(List.of(associationId));
    if (from != null) {
      args.add(from.atStartOfDay(JST).toOffsetDateTime());
      where.append(" AND c.sent_at >= $").append(args.size());
    }
    if (to != null) {
      args.add(to.plusDays(1).atStartOfDay(JST).toOffsetDateTime());
      where.append(" AND c.sent_at < $").append(args.size());
    }
    for (String word : words) {
      args.add("%" + escapeLike(Normalizer.normalize(word, Normalizer.Form.NFKC)) + "%");
      where.append(" AND ").append(FOLD.formatted("c.title || ' ' || c.body"))
          .append(" LIKE ").append(FOLD.formatted("$" + args.size()));
    }
    args.add(limit);
    args.add(offset);
    String sql = "SELECT c.id, c.title, left(c.body, " + EXCERPT_CHARS + ") AS excerpt, c.sent_at, c.sent_by_kind, "
        + "c.deadline, c.question IS NOT NULL AS has_question, "
        + "(SELECT count(*) FROM circular_attachment t WHERE t.circular_id = c.id) AS attachments, count(*) OVER () AS total "
        + "FROM circular c WHERE " + where + " ORDER BY c.sent_at DESC, c.id LIMIT $" + (args.size() - 1)
        + " OFFSET $" + args.size();
    return reader(accountId, associationId)
        .compose(v -> pool.preparedQuery(sql).execute(Tuple.from(args)))
        .compose(rows -> {
          JsonArray items = new JsonArray();
          int total = 0;
          for (Row r : rows) {
            total = r.getInteger("total");
            items.add(new JsonObject().put("id", r.getUUID("id").toString()).put("title", r.getString("title"))
                .put("excerpt", r.getString("excerpt")).put("sentAt", r.getOffsetDateTime("sent_at").toString())
                .put("sentBy", r.getString("sent_by_kind")).put("deadline", time(r.getOffsetDateTime("deadline")))
                .put("hasQuestion", r.getBoolean("has_question")).put("attachments", r.getInteger("attachments")));
          }
          // a page past the last match carries no window count: count apart
          return rows.size() > 0 || offset == 0
              ? Future.succeededFuture(new Page(total, items))
              : count(where.toString(), args.subList(0, args.size() - 2)).map(n -> new Page(n, items));
        });
  }

  /** One circular of the archive, with the association's name; no receipt is written. */
  public Future<JsonObject> read(UUID accountId, UUID associationId, UUID circularId) {
    return reader(accountId, associationId)
        .compose(v -> pool.preparedQuery("SELECT c.*, a.name AS association_name FROM circular c "
                + "JOIN association a ON a.id = c.association_id WHERE c.id = $1 AND c.association_id = $2")
            .execute(Tuple.of(circularId, associationId)))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ProblemException.notFound("Circular " + circularId))
            : Future.succeededFuture(CircularService.circularJson(rows.iterator().next())));
  }

  /** The associations whose archive the account may read, with whether it is an officer there. */
  public Future<JsonArray> shelves(UUID accountId) {
    return pool.preparedQuery("SELECT a.id, a.name, bool_or(k.officer) AS officer FROM association a JOIN ("
            + "SELECT m.association_id, false AS officer FROM association_member m WHERE m.account_id = $1 AND m.left_at IS NULL "
            + "UNION ALL SELECT o.association_id, true FROM association_officer o WHERE o.account_id = $1) k "
            + "ON k.association_id = a.id GROUP BY a.id, a.name ORDER BY a.name")
        .execute(Tuple.of(accountId))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject().put("id", r.getUUID(0).toString()).put("name", r.getString(1))
              .put("officer", r.getBoolean(2))));
          return out;
        });
  }

  /** Whether the account is an officer of the association (who may print circulars for paper households). */
  public Future<Boolean> isOfficer(UUID accountId, UUID associationId) {
    return pool.preparedQuery("SELECT 1 FROM association_officer WHERE association_id = $1 AND account_id = $2")
        .execute(Tuple.of(associationId, accountId)).map(rows -> rows.size() > 0);
  }

  /** A current member or an officer may read the archive; anyone else is told it does not exist. */
  private Future<Void> reader(UUID accountId, UUID associationId) {
    return pool.preparedQuery("SELECT 1 FROM association_member m WHERE m.association_id = $1 AND m.account_id = $2 "
            + "AND m.left_at IS NULL UNION ALL SELECT 1 FROM association_officer o WHERE o.association_id = $1 "
            + "AND o.account_id = $2 LIMIT 1")
        .execute(Tuple.of(associationId, accountId))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ProblemException.notFound("Association " + associationId))
            : Future.succeededFuture());
  }

  private Future<Integer> count(String where, List<Object> args) {
    return pool.preparedQuery("SELECT count(*) FROM circular c WHERE " + where).execute(Tuple.from(args))
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  static List<String> words(String query) {
    if (query == null || query.isBlank()) {
      return List.of();
    }
    // ideographic spaces separate words as ASCII ones do
    return Arrays.stream(query.strip().split("[\\s\u3000]+")).filter(w -> !w.isEmpty()).distinct().toList();
  }

  /** The word is matched literally: LIKE's own wildcards and escape character lose their meaning. */
  static String escapeLike(String word) {
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : t.toString();
  }

  private static String range(char first, char last) {
    StringBuilder out = new StringBuilder();
    for (char c = first; c <= last; c++) {
      out.append(c);
    }
    return out.toString();
  }
}

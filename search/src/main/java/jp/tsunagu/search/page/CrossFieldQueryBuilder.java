package jp.tsunagu.search.page;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.QueryBuilder;

/**
 * Builds queries whose every term is matched across several weighted fields at once: a
 * {@link DisjunctionMaxQuery} of the term in each field, weighted, where the best field counts
 * fully and the others by {@link #TIE_BREAKER}; so a two-word query matches a page with one word
 * in the title and the other in the body. Graph synonyms are handled by {@link QueryBuilder}.
 *
 * <p>Two other forms look every term up in one field instead: the matching-only field (for finding
 * and counting matches without scores) and the combined scoring field ({@link #ranked}: the
 * fields' weights are in its frequencies at index time, so a term is one posting list with its
 * own impacts, where a query-time BM25F {@code CombinedFieldQuery} would merge the fields'
 * postings for every match).
 */
final class CrossFieldQueryBuilder extends QueryBuilder {

  /** The best field of a word counts fully, every other field that contains it this much. */
  static final float TIE_BREAKER = 0.3f;

  private final Map<String, Float> fields;
  private final String firstField;
  private final IndexStats stats;
  private final String matchField;
  private final String rankField;
  private final float rankBoost;

  /**
   * @param fields field name to weight (each at least 1), in order
   * @param stats the statistics of the searcher the query will run on, or null when unknown
   */
  CrossFieldQueryBuilder(Analyzer analyzer, Map<String, Float> fields, IndexStats stats) {
    this(analyzer, fields, stats, null);
  }

  /**
   * @param matchField when not null, every term is looked up in this one matching-only field
   *     (which holds the tokens of all the fields) instead of in each field: the query then
   *     matches the same pages as the weighted one, and is meant to run without scores. Phrases
   *     still need the positions of the fields themselves.
   */
  CrossFieldQueryBuilder(Analyzer analyzer, Map<String, Float> fields, IndexStats stats, String matchField) {
    this(analyzer, fields, stats, matchField, null, 1f);
  }

  /**
   * @param rankField when not null, every term is scored in this one combined scoring field (which
   *     holds the weighted frequencies of all the fields) at {@code rankBoost}, instead of by a
   *     disjunction over the fields; phrases still use the fields themselves
   */
  private CrossFieldQueryBuilder(Analyzer analyzer, Map<String, Float> fields, IndexStats stats, String matchField,
      String rankField, float rankBoost) {
    super(analyzer);
    this.fields = new LinkedHashMap<>(fields);
    this.firstField = fields.keySet().iterator().next();
    this.stats = stats;
    this.matchField = matchField;
    this.rankField = rankField;
    this.rankBoost = rankBoost;
  }

  /** A builder scoring every term in the combined field {@code rankField} at {@code rankBoost}. */
  static CrossFieldQueryBuilder ranked(Analyzer analyzer, Map<String, Float> fields, IndexStats stats,
      String rankField, float rankBoost) {
    return new CrossFieldQueryBuilder(analyzer, fields, stats, null, rankField, rankBoost);
  }

  /** All terms of the text must match (in any of the fields); null when the text has no terms. */
  Query allTerms(String text) {
    return createBooleanQuery(firstField, text, BooleanClause.Occur.MUST);
  }

  /** The text as a phrase in any one of the fields, weighted; null when the text has no terms. */
  Query phrase(String text) {
    List<Query> perField = new ArrayList<>();
    for (Map.Entry<String, Float> f : fields.entrySet()) {
      Query q = createPhraseQuery(f.getKey(), text);
      if (q != null) {
        perField.add(new BoostQuery(q, f.getValue()));
      }
    }
    return perField.isEmpty() ? null : new DisjunctionMaxQuery(perField, 0.1f);
  }

  /** One unanalysed term across the fields. */
  Query wholeTerm(String term) {
    return newTermQuery(new Term(firstField, term), 1f);
  }

  @Override
  protected Query newTermQuery(Term term, float boost) {
    if (matchField != null) {
      Term t = new Term(matchField, term.bytes());
      return stats == null ? new TermQuery(t) : stats.termQuery(t);
    }
    if (rankField != null) {
      Term t = new Term(rankField, term.bytes());
      return new BoostQuery(stats == null ? new TermQuery(t) : stats.termQuery(t), rankBoost * boost);
    }
    List<Query> perField = new ArrayList<>(fields.size());
    fields.forEach((field, weight) -> {
      Term t = new Term(field, term.bytes());
      perField.add(new BoostQuery(stats == null ? new TermQuery(t) : stats.termQuery(t), weight));
    });
    Query q = new DisjunctionMaxQuery(perField, TIE_BREAKER);
    return boost == 1f ? q : new BoostQuery(q, boost);
  }

  @Override
  protected Query newSynonymQuery(String field, TermAndBoost[] terms) {
    BooleanQuery.Builder any = new BooleanQuery.Builder();
    for (TermAndBoost t : terms) {
      any.add(newTermQuery(new Term(field, t.term()), t.boost()), BooleanClause.Occur.SHOULD);
    }
    return any.build();
  }
}

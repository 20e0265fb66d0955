package jp.tsunagu.search.page;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.CombinedFieldQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.QueryBuilder;

/**
 * Builds queries whose every term is matched across several weighted fields at once (BM25F via
 * {@link CombinedFieldQuery}), so that a two-word query matches a page with one word in the title
 * and the other in the body. Graph synonyms are handled by {@link QueryBuilder}.
 */
final class CrossFieldQueryBuilder extends QueryBuilder {

  private final Map<String, Float> fields;
  private final String firstField;

  /** @param fields field name to weight (each at least 1), in order */
  CrossFieldQueryBuilder(Analyzer analyzer, Map<String, Float> fields) {
    super(analyzer);
    this.fields = new LinkedHashMap<>(fields);
    this.firstField = fields.keySet().iterator().next();
  }

  /** All terms of the text must match (in any of the fields); null when the text has no terms. */
  Query allTerms(String text) {
    return createBooleanQuery(firstField, text, BooleanClause.Occur.MUST);
  }

  /** The text as a phrase in any one of the fields, weighted; null when the text has no terms. */
  Query phrase(String text) {
    java.util.List<Query> perField = new java.util.ArrayList<>();
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
    CombinedFieldQuery.Builder builder = new CombinedFieldQuery.Builder(term.bytes());
    fields.forEach(builder::addField);
    Query q = builder.build();
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

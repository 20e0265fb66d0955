package jp.tsunagu.search.page;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.analysis.Readings;
import jp.tsunagu.search.analysis.TenantAnalysis;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;

/**
 * Turns a {@link PageQuery} into a Lucene query.
 *
 * <p>Each word is matched in title (×4), summary (×2) and body (×1), the best field fully and the
 * others at {@link CrossFieldQueryBuilder#TIE_BREAKER}, and scores a title bonus when the title
 * itself contains it; the same word's katakana reading is matched across the reading twins at
 * half weight, so 子供 finds こども, and a word typed in kana is also looked up whole among
 * readings; English pages are matched through their own fields. A recency clause adds up to
 * {@value #RECENCY_WEIGHT} for a page updated now, half that for one updated {@value
 * #RECENCY_PIVOT_DAYS} days ago. Tenants whose analysis differs get their own sub-query, each
 * restricted to them. Built for the searcher it runs on, the query leaves out what cannot change
 * its result ({@link IndexStats}).
 *
 * <p>On an index whose every page has the combined scoring fields ({@link PageFields#RANK}), a
 * word is scored there instead, one term per word (its reading in {@link PageFields#RANK_READING}),
 * plus its title score at {@link #RANKED_TITLE_BONUS}: the same words, phrases, readings, filters
 * and recency, one posting list per word where the per-field model had one per field. An index
 * written before those fields, or partly so, keeps the per-field model until it is rebuilt.
 */
public final class PageQueries {

  static final float RECENCY_WEIGHT = 1.5f;
  static final int RECENCY_PIVOT_DAYS = 60;
  static final float READING_WEIGHT = 0.5f;
  static final float TITLE_BONUS = 2.0f;
  /**
   * On an index with the combined scoring fields ({@link PageFields#RANK}), the weight of a word's
   * score there: the field weights are already in its frequencies.
   */
  static final float RANK_BOOST = 1f;
  /**
   * On an index with the combined scoring fields, the weight of the title's own score of a word: the
   * title's weight in the per-field model and its bonus (4 + 2). The combined field has one
   * document frequency for all three texts, so a word in nearly every body but an eighth of the
   * titles (申し込み) tells pages apart there only by its title, with the title's statistics.
   */
  static final float RANKED_TITLE_BONUS = 6f;

  private static final Map<String, Float> SURFACE = fields(PageFields.TITLE, PageFields.SUMMARY, PageFields.BODY);
  private static final Map<String, Float> READING =
      fields(PageFields.TITLE_READING, PageFields.SUMMARY_READING, PageFields.BODY_READING);
  private static final Map<String, Float> ENGLISH = fields(PageFields.TITLE_EN, PageFields.SUMMARY_EN, PageFields.BODY_EN);

  private final AnalysisRegistry analysis;

  public PageQueries(AnalysisRegistry analysis) {
    this.analysis = analysis;
  }

  private static Map<String, Float> fields(String title, String summary, String body) {
    Map<String, Float> m = new java.util.LinkedHashMap<>();
    m.put(title, 4f);
    m.put(summary, 2f);
    m.put(body, 1f);
    return m;
  }

  /**
   * The full query: text, tenants, filters and recency; excludes {@code pinnedKeys}.
   *
   * @param english false when no English page is indexed, to leave the English fields out
   */
  Query build(PageQuery request, Set<String> pinnedKeys, boolean english) {
    return build(request, pinnedKeys, english, null);
  }

  /**
   * The full query for the searcher it will run on: term statistics are looked up once, a tenant
   * filter that every page passes is left out, and so is the reading twin of a word where it
   * changes nothing ({@link IndexStats#readingIsRedundant}).
   */
  Query build(PageQuery request, Set<String> pinnedKeys, IndexSearcher searcher, boolean english) {
    return build(request, pinnedKeys, english, new IndexStats(searcher));
  }

  /** As {@link #build(PageQuery, Set, IndexSearcher, boolean)}, with statistics shared between searches. */
  Query build(PageQuery request, Set<String> pinnedKeys, IndexStats stats, boolean english) {
    return build(request, pinnedKeys, english, stats);
  }

  /**
   * The query that matches exactly the pages of the full query, for finding and counting them
   * without scores: every word is looked up in one field holding all of a page's terms ({@link
   * IndexStats#matchField}: the combined scoring field, or the matching-only field of an earlier
   * layout; {@link PageFields#MATCH_EN} for English), one posting list per word instead of one per
   * field, and nothing that only scores (title bonus, recency) is added. Only for an index whose every page
   * has those fields ({@link IndexStats#hasMatchFields}).
   */
  Query matching(PageQuery request, Set<String> pinnedKeys, IndexStats stats, boolean english) {
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    q.add(textForTenants(request.query(), request.tenants(), english, stats, true), Occur.MUST);
    restrict(q, request, pinnedKeys);
    return q.build();
  }

  /** The request's filters and date range, and the pinned pages left out (they are shown above the hits). */
  private void restrict(BooleanQuery.Builder q, PageQuery request, Set<String> pinnedKeys) {
    request.filters().forEach((facet, values) -> q.add(filter(facet, values, request), Occur.FILTER));
    Query between = publishedBetween(request);
    if (between != null) {
      q.add(between, Occur.FILTER);
    }
    for (String key : pinnedKeys) {
      q.add(new TermQuery(new Term(PageFields.KEY, key)), Occur.MUST_NOT);
    }
  }

  /** The recency clause of a query at {@code now}: up to {@link #RECENCY_WEIGHT} for a page updated then. */
  static Query recency(java.time.Instant now) {
    long pivot = Duration.ofDays(RECENCY_PIVOT_DAYS).toMillis();
    return LongField.newDistanceFeatureQuery(PageFields.UPDATED, RECENCY_WEIGHT, now.toEpochMilli(), pivot);
  }

  private Query build(PageQuery request, Set<String> pinnedKeys, boolean english, IndexStats stats) {
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    q.add(textForTenants(request.query(), request.tenants(), english, stats, false), Occur.MUST);
    restrict(q, request, pinnedKeys);
    if (!request.query().isEmpty()) {
      q.add(recency(request.now()), Occur.SHOULD);
    }
    return q.build();
  }

  /** The text part for the tenants, grouped by their analysis. */
  public Query textForTenants(UserQuery query, Set<String> tenants) {
    return textForTenants(query, tenants, true, null, false);
  }

  private Query textForTenants(UserQuery query, Set<String> tenants, boolean english, IndexStats stats,
      boolean matching) {
    Map<TenantAnalysis, List<String>> byAnalysis = new IdentityHashMap<>();
    for (String tenant : tenants) {
      byAnalysis.computeIfAbsent(analysis.forTenant(tenant), k -> new ArrayList<>()).add(tenant);
    }
    if (byAnalysis.size() == 1) {
      TenantAnalysis only = byAnalysis.keySet().iterator().next();
      Query text = text(query, only, english, stats, matching);
      if (stats != null && stats.allDocumentsIn(tenants)) {
        return text;
      }
      return new BooleanQuery.Builder()
          .add(text, Occur.MUST)
          .add(tenantFilter(tenants), Occur.FILTER)
          .build();
    }
    BooleanQuery.Builder any = new BooleanQuery.Builder();
    byAnalysis.forEach((tenantAnalysis, codes) -> any.add(new BooleanQuery.Builder()
        .add(text(query, tenantAnalysis, english, stats, matching), Occur.MUST)
        .add(tenantFilter(codes), Occur.FILTER)
        .build(), Occur.SHOULD));
    return any.build();
  }

  /** The text part alone, analysed as one tenant would: every group must match, exclusions must not. */
  Query text(UserQuery query, TenantAnalysis tenant, boolean withEnglish) {
    return text(query, tenant, withEnglish, null, false);
  }

  /**
   * @param matching true for the matching-only form: the same pages, looked up in the matching
   *     fields, no title bonus
   */
  private Query text(UserQuery query, TenantAnalysis tenant, boolean withEnglish, IndexStats stats, boolean matching) {
    if (query.isEmpty()) {
      return new MatchAllDocsQuery();
    }
    boolean ranked = !matching && stats != null && stats.hasRankFields();
    CrossFieldQueryBuilder surface = ranked
        ? CrossFieldQueryBuilder.ranked(tenant.querySurface(), SURFACE, stats, PageFields.RANK, RANK_BOOST)
        : new CrossFieldQueryBuilder(tenant.querySurface(), SURFACE, stats, matching ? stats.matchField(false) : null);
    CrossFieldQueryBuilder reading = ranked
        ? CrossFieldQueryBuilder.ranked(tenant.queryReading(), READING, stats, PageFields.RANK_READING, RANK_BOOST)
        : new CrossFieldQueryBuilder(tenant.queryReading(), READING, stats, matching ? stats.matchField(true) : null);
    CrossFieldQueryBuilder english = withEnglish ? new CrossFieldQueryBuilder(analysis.english(), ENGLISH, stats,
        matching ? PageFields.MATCH_EN : null) : null;
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    int required = 0;
    for (List<UserQuery.Clause> group : query.groups()) {
      BooleanQuery.Builder any = new BooleanQuery.Builder();
      int alternatives = 0;
      for (UserQuery.Clause clause : group) {
        Query q = clause(clause, tenant, stats, surface, reading, english);
        if (q != null) {
          any.add(q, Occur.SHOULD);
          alternatives++;
        }
      }
      if (alternatives > 0) {
        all.add(any.build(), Occur.MUST);
        required++;
      }
    }
    if (required == 0) {
      // Only stop words or punctuation: nothing to look for.
      return new MatchNoDocsQuery("the query has no searchable words");
    }
    if (matching) {
      for (UserQuery.Clause clause : query.excluded()) {
        Query q = clause(clause, tenant, stats, surface, reading, english);
        if (q != null) {
          all.add(q, Occur.MUST_NOT);
        }
      }
      return all.build();
    }
    // Title bonus: every query word found in the title adds to the score on top of BM25, whose
    // term-frequency saturation would otherwise let long bodies catch up with short titles.
    QueryBuilder title = new QueryBuilder(tenant.querySurface()) {
      @Override
      protected Query newTermQuery(Term term, float boost) {
        if (stats == null) {
          return super.newTermQuery(term, boost);
        }
        Query q = stats.termQuery(term);
        return boost == 1f ? q : new BoostQuery(q, boost);
      }
    };
    for (List<UserQuery.Clause> group : query.groups()) {
      for (UserQuery.Clause clause : group) {
        Query q = title.createBooleanQuery(PageFields.TITLE, clause.text(), Occur.SHOULD);
        if (q != null) {
          // A phrase is still scored in each field, the title at its own weight: its bonus stays.
          all.add(new BoostQuery(q, ranked && !clause.phrase() ? RANKED_TITLE_BONUS : TITLE_BONUS), Occur.SHOULD);
        }
      }
    }
    for (UserQuery.Clause clause : query.excluded()) {
      Query q = clause(clause, tenant, null, surface, reading, english);
      if (q != null) {
        all.add(q, Occur.MUST_NOT);
      }
    }
    return all.build();
  }

  /**
   * One word or phrase: its surface form, its reading at {@value #READING_WEIGHT}, a kana word
   * whole among readings, and English. With {@code stats}, a reading that would match exactly the
   * pages of the surface form with the same score is folded into the surface clause's weight.
   */
  private static Query clause(UserQuery.Clause clause, TenantAnalysis tenant, IndexStats stats,
      CrossFieldQueryBuilder surface, CrossFieldQueryBuilder reading, CrossFieldQueryBuilder english) {
    BooleanQuery.Builder any = new BooleanQuery.Builder();
    int added = 0;
    boolean readingNeeded = stats == null
        || !stats.readingIsRedundant(tenant.querySurface(), tenant.queryReading(), clause.text());
    Query s = clause.phrase() ? surface.phrase(clause.text()) : surface.allTerms(clause.text());
    if (s != null) {
      any.add(readingNeeded ? s : new BoostQuery(s, 1 + READING_WEIGHT), Occur.SHOULD);
      added++;
    }
    Query r = !readingNeeded ? null : clause.phrase() ? reading.phrase(clause.text()) : reading.allTerms(clause.text());
    if (r != null) {
      any.add(new BoostQuery(r, READING_WEIGHT), Occur.SHOULD);
      added++;
    }
    if (!clause.phrase() && Readings.isKana(clause.text())) {
      // Kana typed for a word the dictionary keeps whole (a local place name): its reading.
      any.add(new BoostQuery(reading.wholeTerm(Readings.toKatakana(clause.text())), READING_WEIGHT), Occur.SHOULD);
      added++;
    }
    Query e = english == null ? null : clause.phrase() ? english.phrase(clause.text()) : english.allTerms(clause.text());
    if (e != null) {
      any.add(e, Occur.SHOULD);
      added++;
    }
    // A word made only of stop words or punctuation is left out of the query.
    return added == 0 ? null : any.build();
  }

  static Query tenantFilter(java.util.Collection<String> tenants) {
    return new TermInSetQuery(PageFields.TENANT, tenants.stream().map(BytesRef::new).toList());
  }

  /** The free publication range of the request, or null when it has none. */
  public static Query publishedBetween(PageQuery request) {
    if (request.publishedFrom() == null && request.publishedUntil() == null) {
      return null;
    }
    long from = request.publishedFrom() == null ? Long.MIN_VALUE : request.publishedFrom().toEpochMilli();
    long to = request.publishedUntil() == null ? Long.MAX_VALUE : request.publishedUntil().toEpochMilli() - 1;
    return LongField.newRangeQuery(PageFields.PUBLISHED, from, to);
  }

  public static Query filter(PageFacet facet, List<String> values, PageQuery request) {
    if (facet == PageFacet.PUBLISHED) {
      BooleanQuery.Builder any = new BooleanQuery.Builder();
      for (String code : values) {
        PublishedRange range = PublishedRange.ofCode(code);
        any.add(LongField.newRangeQuery(PageFields.PUBLISHED, range.from(request.now()), range.to(request.now())),
            Occur.SHOULD);
      }
      return any.build();
    }
    return new TermInSetQuery(facet.apiName(), values.stream().map(BytesRef::new).toList());
  }
}

package jp.tsunagu.search.page;

import jp.tsunagu.search.index.FacetedSearcher;

import java.io.IOException;
import java.text.BreakIterator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import org.apache.lucene.document.Document;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedNumericSortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.Passage;
import org.apache.lucene.search.uhighlight.PassageScorer;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/** Runs one {@link PageQuery} against an acquired {@link FacetedSearcher}. Stateless; thread-safe. */
final class PageSearch {

  static final int MAX_FACET_VALUES = 30;
  static final int SNIPPET_CHARS = 160;
  /** Only the start of a body is searched for a passage to highlight. */
  static final int HIGHLIGHT_CHARS = 4_000;
  private static final Sort NEWEST_FIRST =
      new Sort(new SortedNumericSortField(PageFields.UPDATED, SortField.Type.LONG, true));

  private static final Set<String> WITH_BODY = Set.of(PageFields.TENANT, PageFields.ID, PageFields.URL,
      PageFields.TITLE, PageFields.SUMMARY, PageFields.BODY, PageFields.TITLE_EN, PageFields.SUMMARY_EN,
      PageFields.BODY_EN, PageFields.CATEGORY, PageFields.PUBLISHED, PageFields.UPDATED);

  private final AnalysisRegistry analysis;
  private final PageQueries queries;
  private final BestBets bestBets;
  private final SpellCorrector spelling;
  private final int scoreAllBelow;
  /** The term statistics of the searcher searched last, shared by every search on it. */
  private final AtomicReference<IndexStats> lastStats = new AtomicReference<>();

  PageSearch(AnalysisRegistry analysis, BestBets bestBets) {
    this(analysis, bestBets, CandidateRanking.SCORE_ALL_BELOW);
  }

  /** @param scoreAllBelow up to this many matches every match is scored (tests use 0 to rank any search in two steps) */
  PageSearch(AnalysisRegistry analysis, BestBets bestBets, int scoreAllBelow) {
    this.scoreAllBelow = scoreAllBelow;
    this.analysis = analysis;
    this.queries = new PageQueries(analysis);
    this.bestBets = bestBets;
    this.spelling = new SpellCorrector(analysis);
  }

  PageQueries queries() {
    return queries;
  }

  PageResults run(FacetedSearcher searcher, PageQuery request) throws IOException {
    return run(searcher, request, true);
  }

  /**
   * @param twoSteps false to score every match in one pass, as before the matching-only fields
   *     (for tests and benchmarks that compare the two)
   */
  PageResults run(FacetedSearcher searcher, PageQuery request, boolean twoSteps) throws IOException {
    Set<String> pinnedKeys = bestBets.pinnedKeys(request.tenants(), request.text());
    IndexStats stats = IndexStats.of(searcher, lastStats);
    boolean english = searcher.hasField(PageFields.BODY_EN);
    Query query = queries.build(request, pinnedKeys, stats, english);
    int window = request.offset() + request.limit();
    FacetTally tally = new FacetTally(request.facets(), request.now(), MAX_FACET_VALUES);
    Found found = request.query().isEmpty() || !twoSteps ? null
        : matchThenRank(searcher, request, pinnedKeys, stats, english, query, window, tally);
    if (found == null) {
      FacetsCollectorManager.FacetsResult all = request.query().isEmpty()
          ? FacetsCollectorManager.search(searcher, query, window, NEWEST_FIRST, new FacetsCollectorManager())
          : FacetsCollectorManager.search(searcher, query, window, new FacetsCollectorManager());
      if (!request.facets().isEmpty()) {
        tally.countAll(all.facetsCollector());
      }
      found = new Found(all.topDocs(), all.topDocs().totalHits.value());
    }
    TopDocs top = found.top();
    ScoreDoc[] page = java.util.Arrays.copyOfRange(top.scoreDocs, Math.min(request.offset(), top.scoreDocs.length),
        top.scoreDocs.length);
    // Each hit's stored fields are read once; the highlighter gets its body from them.
    StoredFields stored = searcher.storedFields();
    Map<Integer, Document> docs = new HashMap<>();
    for (ScoreDoc sd : page) {
      docs.put(sd.doc, stored.document(sd.doc, WITH_BODY));
    }
    String[] snippets = request.highlight() && !request.query().isEmpty()
        ? snippets(searcher, stats.hasRankFields() ? highlightQuery(query) : query, page, docs)
        : null;
    List<PageHit> hits = new ArrayList<>(page.length);
    for (int i = 0; i < page.length; i++) {
      String snippet = snippets == null ? null : snippets[i];
      hits.add(hit(docs.get(page[i].doc), page[i].score, snippet, false));
    }
    List<PageHit> pinned = request.offset() == 0 ? pinned(searcher, pinnedKeys) : List.of();
    long total = found.total();
    Optional<String> didYouMean = total < 3 && !request.query().isEmpty()
        ? spelling.suggest(searcher, request.text(), request.tenants())
        : Optional.empty();
    return new PageResults(total, pinned, hits, tally.result(), didYouMean);
  }

  /** The window of hits and the exact number of matches. */
  private record Found(TopDocs top, long total) {}

  /**
   * The search in two steps, on an index with the matching-only fields: find and count every
   * match without scores on those fields (one posting list per word), counting the facets of each
   * as it is found ({@link FacetTally}); then score with the full query only the matches that can
   * reach the window ({@link CandidateRanking}). Null when the index or the query does not allow it (an index written
   * before those fields, a query part without a bound): then the caller scores every match.
   */
  private Found matchThenRank(FacetedSearcher searcher, PageQuery request, Set<String> pinnedKeys, IndexStats stats,
      boolean english, Query full, int window, FacetTally tally) throws IOException {
    if (!stats.hasMatchFields()) {
      return null;
    }
    CandidateRanking ranking = CandidateRanking.of(full);
    if (ranking == null) {
      return null;
    }
    // Lucene's query cache would keep the matches of a repeated query: a cache of results, which
    // this search does not keep.
    IndexSearcher uncached = new IndexSearcher(searcher.getIndexReader());
    uncached.setQueryCache(null);
    FixedBitSet[] matches = MatchingBits.count(uncached, queries.matching(request, pinnedKeys, stats, english), tally);
    long total = tally.total();
    return new Found(ranking.top(uncached, full, total, window, stats, scoreAllBelow, matches).top(), total);
  }

  /**
   * The part of a query scored in the combined field that the highlighter needs: the terms of
   * {@link PageFields#RANK} (which the body's field matcher takes as the body's: the same surface
   * terms), and the body's own terms and phrases (English included); excluded words, other fields
   * and recency left out. The
   * highlighter then finds the same matches in the body as with the per-field query, without
   * building the weight of every clause of the full query for each hit. A query with any other
   * kind of body clause (a span of a multi-word synonym) is given to the highlighter whole.
   */
  static Query highlightQuery(Query full) {
    List<Query> parts = new ArrayList<>();
    boolean[] whole = {false};
    full.visit(new QueryVisitor() {
      @Override
      public QueryVisitor getSubVisitor(Occur occur, Query parent) {
        return occur == Occur.MUST_NOT ? QueryVisitor.EMPTY_VISITOR : this;
      }

      @Override
      public boolean acceptField(String field) {
        return field.equals(PageFields.RANK) || field.equals(PageFields.BODY) || field.equals(PageFields.BODY_EN);
      }

      @Override
      public void consumeTerms(Query query, Term... terms) {
        if (query instanceof TermQuery || query instanceof PhraseQuery) {
          parts.add(query);
        } else {
          whole[0] = true;
        }
      }
    });
    if (whole[0] || parts.isEmpty() || parts.size() > IndexSearcher.getMaxClauseCount()) {
      return full;
    }
    BooleanQuery.Builder any = new BooleanQuery.Builder();
    parts.forEach(q -> any.add(q, Occur.SHOULD));
    return any.build();
  }

  private String[] snippets(FacetedSearcher searcher, Query query, ScoreDoc[] page, Map<Integer, Document> docs)
      throws IOException {
    if (page.length == 0) {
      return new String[0];
    }
    UnifiedHighlighter highlighter = new LoadedHighlighter(UnifiedHighlighter.builder(searcher, analysis.english())
        .withFormatter(new DefaultPassageFormatter("<mark>", "</mark>", "…", true))
        .withMaxLength(HIGHLIGHT_CHARS)
        .withPassageRelevancyOverSpeed(false)
        .withMaxNoHighlightPassages(0), searcher, docs);
    int[] ids = new int[page.length];
    for (int i = 0; i < page.length; i++) {
      ids[i] = page[i].doc;
    }
    boolean english = searcher.hasField(PageFields.BODY_EN);
    String[] fields = english ? new String[] {PageFields.BODY, PageFields.BODY_EN} : new String[] {PageFields.BODY};
    Map<String, String[]> byField = highlighter.highlightFields(fields, query, ids, english ? new int[] {1, 1} : new int[] {1});
    String[] result = new String[page.length];
    for (int i = 0; i < page.length; i++) {
      String ja = byField.get(PageFields.BODY)[i];
      result[i] = ja != null || !english ? ja : byField.get(PageFields.BODY_EN)[i];
    }
    return result;
  }

  /**
   * A highlighter that takes the field infos of the searcher (merged once per refresh) and the
   * text of the documents already loaded for the hits, instead of reading both again per query.
   */
  private static final class LoadedHighlighter extends UnifiedHighlighter {
    private final FacetedSearcher searcher;
    private final Map<Integer, Document> docs;

    LoadedHighlighter(UnifiedHighlighter.Builder builder, FacetedSearcher searcher, Map<Integer, Document> docs) {
      super(builder);
      this.searcher = searcher;
      this.docs = docs;
    }

    @Override
    protected PassageScorer getScorer(String field) {
      return PASSAGE_SCORER;
    }

    /**
     * The body's terms are those of the query on the body itself and, where a word is scored in
     * the combined field ({@link PageFields#RANK}, the same surface terms), on that field.
     */
    @Override
    protected Predicate<String> getFieldMatcher(String field) {
      return PageFields.BODY.equals(field)
          ? name -> PageFields.BODY.equals(name) || PageFields.RANK.equals(name)
          : super.getFieldMatcher(field);
    }

    @Override
    protected BreakIterator getBreakIterator(String field) {
      return PageFields.BODY.equals(field) ? new SentenceBreaks() : super.getBreakIterator(field);
    }

    @Override
    protected FieldInfo getFieldInfo(String field) {
      return searcher.fieldInfo(field);
    }

    @Override
    protected List<CharSequence[]> loadFieldValues(String[] fields, DocIdSetIterator docIter, int cacheCharsThreshold)
        throws IOException {
      List<CharSequence[]> values = new ArrayList<>();
      for (int doc = docIter.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docIter.nextDoc()) {
        Document d = docs.get(doc);
        CharSequence[] byField = new CharSequence[fields.length];
        for (int i = 0; i < fields.length; i++) {
          byField[i] = PageFields.BODY.equals(fields[i]) ? StoredBody.of(d) : d.get(fields[i]);
        }
        values.add(byField);
      }
      return values;
    }
  }

  private static final PassageScorer PASSAGE_SCORER = new DistinctTermsPassageScorer();

  /**
   * The highlighter's default passage score (BM25 of the passage's distinct terms, times the
   * position norm), computed with a scan over the passage's few matches instead of a hash of its
   * terms, whose 32 KiB buffer was allocated for every candidate passage.
   */
  static final class DistinctTermsPassageScorer extends PassageScorer {
    @Override
    public float score(Passage passage, int contentLength) {
      int matches = passage.getNumMatches();
      BytesRef[] terms = passage.getMatchTerms();
      int[] freqsInDoc = passage.getMatchTermFreqsInDoc();
      int[] first = new int[matches];
      int[] freqInPassage = new int[matches];
      int distinct = 0;
      for (int i = 0; i < matches; i++) {
        int d = 0;
        while (d < distinct && !terms[first[d]].equals(terms[i])) {
          d++;
        }
        if (d == distinct) {
          first[distinct++] = i;
        }
        freqInPassage[d]++;
      }
      double score = 0;
      for (int d = 0; d < distinct; d++) {
        score += tf(freqInPassage[d], passage.getLength()) * weight(contentLength, freqsInDoc[first[d]]);
      }
      score *= norm(passage.getStartOffset());
      return (float) score;
    }
  }

  private List<PageHit> pinned(FacetedSearcher searcher, Set<String> keys) throws IOException {
    if (keys.isEmpty()) {
      return List.of();
    }
    Query byKey = new TermInSetQuery(PageFields.KEY, keys.stream().map(BytesRef::new).toList());
    TopDocs top = searcher.search(byKey, keys.size());
    Map<String, PageHit> found = new LinkedHashMap<>();
    StoredFields stored = searcher.storedFields();
    for (ScoreDoc sd : top.scoreDocs) {
      PageHit hit = hit(stored.document(sd.doc, WITH_BODY), 0f, null, true);
      found.put(hit.tenant() + "/" + hit.id(), hit);
    }
    List<PageHit> ordered = new ArrayList<>();
    for (String key : keys) {
      PageHit hit = found.get(key);
      if (hit != null) {
        ordered.add(hit);
      }
    }
    return ordered;
  }

  static PageHit hit(Document doc, float score, String snippet, boolean pinned) {
    boolean english = doc.get(PageFields.TITLE) == null && doc.get(PageFields.TITLE_EN) != null;
    String title = english ? doc.get(PageFields.TITLE_EN) : doc.get(PageFields.TITLE);
    String summary = english ? doc.get(PageFields.SUMMARY_EN) : doc.get(PageFields.SUMMARY);
    if (snippet == null) {
      String body = english ? doc.get(PageFields.BODY_EN) : StoredBody.of(doc);
      String plain = summary != null && !summary.isBlank() ? summary : body == null ? "" : body;
      snippet = escape(plain.length() > SNIPPET_CHARS ? plain.substring(0, SNIPPET_CHARS) + "…" : plain);
    }
    return new PageHit(
        doc.get(PageFields.TENANT),
        doc.get(PageFields.ID),
        doc.get(PageFields.URL),
        title,
        summary,
        snippet,
        doc.get(PageFields.CATEGORY),
        Instant.ofEpochMilli(doc.getField(PageFields.PUBLISHED).numericValue().longValue()),
        Instant.ofEpochMilli(doc.getField(PageFields.UPDATED).numericValue().longValue()),
        score,
        pinned);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}

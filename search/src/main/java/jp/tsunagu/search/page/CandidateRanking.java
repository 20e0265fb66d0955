package jp.tsunagu.search.page;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.CollectionTerminatedException;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.SynonymQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.FixedBitSet;

/**
 * The best pages of a search by the full ranking model, with only the pages that can reach the
 * requested window scored by it, and the same result as scoring every match.
 *
 * <p>Every score of the full query is bounded by a flat sum of its terms: a per-field
 * disjunction scores at most the sum of its fields (tie-breaker below 1), a synonym query at most
 * the sum of its terms (its BM25 uses the largest document frequency and the summed frequency,
 * and BM25's term-frequency part grows ever slower), an exact phrase at most the sum of its terms
 * (it occurs no more often than any of them); recency is added as it is. That sum, each {@code
 * (field, term)} once with the boosts it has anywhere in the query added up, is a plain
 * disjunction, which Lucene scores with block-max WAND / MaxScore: it skips the pages whose terms
 * cannot beat a minimum score, so it visits the pages with the words in the title or summary
 * rather than every page that mentions them in its body.
 *
 * <p>The sum runs over the whole index (a required filter of the matches would drive the
 * iteration and stop the skipping); each page it hands over, in document order, is checked and
 * scored by the full query, and the best {@code window} are kept. Once there are that many, a
 * page whose bound is below the last of them cannot take its place (and a later page loses a
 * tie), so that score becomes the sum's minimum competitive score. The window is the same, in the
 * same order and with the same scores, as scoring every match; totals and facets come from the
 * matching pass.
 */
final class CandidateRanking {

  /** Up to this many matches, every match is scored. */
  static final int SCORE_ALL_BELOW = 1_000;

  /** The window, and how many pages the full query scored to find it. */
  record Ranked(TopDocs top, long scored) {}

  private final Map<Term, Float> terms;
  private final List<Query> features;

  private CandidateRanking(Map<Term, Float> terms, List<Query> features) {
    this.terms = terms;
    this.features = features;
  }

  /**
   * The bound of the full query, or null when some part of it has no bound by its terms (a
   * sloppy phrase, a span query of a multi-word synonym): such a query is scored in full.
   */
  static CandidateRanking of(Query full) {
    Map<Term, Float> terms = new LinkedHashMap<>();
    List<Query> features = new ArrayList<>();
    return collect(full, 1f, terms, features) ? new CandidateRanking(terms, features) : null;
  }

  private static boolean collect(Query q, float boost, Map<Term, Float> terms, List<Query> extra) {
    if (q instanceof BoostQuery b) {
      return collect(b.getQuery(), boost * b.getBoost(), terms, extra);
    }
    if (q instanceof BooleanQuery b) {
      for (BooleanClause c : b.clauses()) {
        if ((c.occur() == Occur.MUST || c.occur() == Occur.SHOULD) && !collect(c.query(), boost, terms, extra)) {
          return false;
        }
      }
      return true;
    }
    if (q instanceof DisjunctionMaxQuery d) {
      if (d.getTieBreakerMultiplier() > 1f) {
        return false;
      }
      for (Query disjunct : d.getDisjuncts()) {
        if (!collect(disjunct, boost, terms, extra)) {
          return false;
        }
      }
      return true;
    }
    if (q instanceof TermQuery t) {
      terms.merge(t.getTerm(), boost, Float::sum);
      return true;
    }
    if (q instanceof SynonymQuery s) {
      // Each synonym's own boost is at most 1 and only lowers its frequency: bound it by 1.
      s.getTerms().forEach(t -> terms.merge(t, boost, Float::sum));
      return true;
    }
    if (q instanceof PhraseQuery p) {
      if (p.getSlop() != 0) {
        return false;
      }
      for (Term t : p.getTerms()) {
        terms.merge(t, boost, Float::sum);
      }
      return true;
    }
    if (q instanceof MatchNoDocsQuery) {
      return true;
    }
    if (q.getClass().getSimpleName().equals("LongDistanceFeatureQuery")) {
      // Recency (LongField.newDistanceFeatureQuery): not a term, but its own score is cheap and
      // skips like a term's; it goes into the sum as it is.
      extra.add(boost == 1f ? q : new BoostQuery(q, boost));
      return true;
    }
    return false;
  }

  /**
   * The best {@code window} matches by the full query, best first, equal scores in document order:
   * the same hits and scores as scoring every match.
   *
   * @param total how many pages match, as the matching pass counted them
   * @param scoreAllBelow up to this many matches, every match is scored ({@link #SCORE_ALL_BELOW})
   */
  // IndexSearcher.search(Query, Collector) visits the segments one after the other, in order, which
  // the kept window relies on for ties; a CollectorManager may run its slices in any order.
  @SuppressWarnings("deprecation")
  Ranked top(IndexSearcher searcher, Query full, long total, int window, IndexStats stats, int scoreAllBelow)
      throws IOException {
    return top(searcher, full, total, window, stats, scoreAllBelow, null);
  }

  /**
   * As {@link #top(IndexSearcher, Query, long, int, IndexStats, int)}, with the matches of the
   * matching pass where it found them as bit sets ({@link MatchingBits}, by segment, null where it
   * did not): a page the sum hands over that is not among them is passed over without moving the
   * full query's posting lists to it (the two queries match the same pages).
   */
  @SuppressWarnings("deprecation")
  Ranked top(IndexSearcher searcher, Query full, long total, int window, IndexStats stats, int scoreAllBelow,
      FixedBitSet[] matchBits) throws IOException {
    if (total <= scoreAllBelow) {
      // Few matches: scoring them all costs less than looking for the ones that can compete.
      return new Ranked(searcher.search(full, new TopScoreDocCollectorManager(window, window)), total);
    }
    Weight fullWeight = searcher.createWeight(searcher.rewrite(full), ScoreMode.COMPLETE, 1f);
    // The sum alone, not restricted to the matches: a required filter would drive the iteration and
    // stop the skipping. Each page it hands over is checked against the full query instead.
    Best best = new Best(window);
    Collector collector = new Collector() {
      @Override
      public ScoreMode scoreMode() {
        return ScoreMode.TOP_SCORES;
      }

      @Override
      public LeafCollector getLeafCollector(LeafReaderContext leaf) throws IOException {
        Scorer exact = fullWeight.scorer(leaf);
        if (exact == null) {
          throw new CollectionTerminatedException();
        }
        DocIdSetIterator matches = exact.iterator();
        FixedBitSet known = matchBits == null ? null : matchBits[leaf.ord];
        return new LeafCollector() {
          private Scorable bound;

          @Override
          public void setScorer(Scorable scorer) throws IOException {
            bound = scorer;
            raiseMinimum(bound, best);
          }

          @Override
          public void collect(int doc) throws IOException {
            if (known != null && !known.get(doc)) {
              return;
            }
            // Pages arrive in document order; the full query's iterator stops at its next match.
            if (matches.docID() < doc) {
              matches.advance(doc);
            }
            if (matches.docID() == doc) {
              best.scored++;
              if (best.offer(leaf.docBase + doc, exact.score())) {
                raiseMinimum(bound, best);
              }
            }
          }
        };
      }
    };
    searcher.search(boundQuery(stats), collector);
    return new Ranked(new TopDocs(new TotalHits(total, TotalHits.Relation.EQUAL_TO), best.inOrder()), best.scored);
  }

  /**
   * Once the window is full, every page whose bound is below its last page cannot take that place
   * (and a later page loses a tie): the sum may skip them. The margin covers the float sums, which
   * add the same scores in another order.
   */
  private void raiseMinimum(Scorable bound, Best best) throws IOException {
    if (!best.full()) {
      return;
    }
    float last = best.lowest();
    float minimum = last - Math.abs(last) * 1e-4f - 1e-4f;
    if (minimum > 0) {
      bound.setMinCompetitiveScore(minimum);
    }
  }

  /** The best pages so far: the lowest score first out, and of equal scores the later page. */
  private static final class Best {
    private final int size;
    private final PriorityQueue<ScoreDoc> heap;
    long scored;

    Best(int size) {
      this.size = size;
      this.heap = new PriorityQueue<>(size + 1,
          (a, b) -> a.score != b.score ? Float.compare(a.score, b.score) : Integer.compare(b.doc, a.doc));
    }

    /** Offers a page later in document order than every page offered before; true when kept. */
    boolean offer(int doc, float score) {
      if (heap.size() < size) {
        heap.add(new ScoreDoc(doc, score));
        return true;
      }
      if (score > heap.peek().score) {
        // An equal score does not displace: the page already kept comes earlier.
        heap.poll();
        heap.add(new ScoreDoc(doc, score));
        return true;
      }
      return false;
    }

    boolean full() {
      return heap.size() >= size;
    }

    float lowest() {
      return heap.peek().score;
    }

    ScoreDoc[] inOrder() {
      ScoreDoc[] out = new ScoreDoc[heap.size()];
      for (int i = out.length - 1; i >= 0; i--) {
        out[i] = heap.poll();
      }
      return out;
    }
  }

  /** The flat sum of the full query's terms, each with the boosts it has in the full query added up. */
  Query boundQuery(IndexStats stats) {
    BooleanQuery.Builder bound = new BooleanQuery.Builder();
    for (Map.Entry<Term, Float> t : terms.entrySet()) {
      if (stats.states(t.getKey()).docFreq() > 0) {
        bound.add(new BoostQuery(stats.termQuery(t.getKey()), t.getValue()), Occur.SHOULD);
      }
    }
    features.forEach(f -> bound.add(f, Occur.SHOULD));
    return bound.build();
  }
}

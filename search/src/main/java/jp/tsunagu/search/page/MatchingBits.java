package jp.tsunagu.search.page;

import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.TermState;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.BulkScorer;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.IOSupplier;

/**
 * The matching pass of a page search: every page the matching query matches, counted into a
 * {@link FacetTally}. Where a segment has many matches, the query is evaluated there as bit sets,
 * one per posting list and the whole segment at once (a term's postings decoded straight into
 * bits, a conjunction an AND of its clauses, a disjunction an OR, an exclusion an AND NOT), and the
 * tally counts the set bits: a word that Kuromoji splits (防災訓練: 防災 and 訓練) is then an AND of
 * two bit sets rather than a leap-frog over two posting lists inside the disjunction with its
 * reading, and no page is handed to a collector one call at a time. A segment with few matches, and any query
 * part other than terms and boolean combinations (a phrase, a range, a set of terms), goes through
 * Lucene's own scorers as before. Either way every match is counted once, and only matches.
 */
final class MatchingBits {

  /**
   * A segment is evaluated as bit sets when the query's cost there (Lucene's estimate of its
   * matches: a conjunction's cheapest clause, a disjunction's sum) is at least its size divided by
   * this: each posting list read is then mostly dense, and decoding it whole costs about what
   * iterating it would.
   */
  static final int DENSE_DIVISOR = 32;

  private final IndexSearcher searcher;
  private final Map<Query, Weight> weights = new IdentityHashMap<>();

  private MatchingBits(IndexSearcher searcher) {
    this.searcher = searcher;
  }

  /**
   * Counts every page {@code query} matches into {@code tally}, segment by segment in order.
   *
   * @return by segment ({@link LeafReaderContext#ord}), the live pages the query matches there
   *     where they were found as bit sets, else null
   */
  static FixedBitSet[] count(IndexSearcher searcher, Query query, FacetTally tally) throws IOException {
    return new MatchingBits(searcher).countAll(searcher.rewrite(query), tally);
  }

  private FixedBitSet[] countAll(Query rewritten, FacetTally tally) throws IOException {
    Weight weight = searcher.createWeight(rewritten, ScoreMode.COMPLETE_NO_SCORES, 1f);
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    FixedBitSet[] fromBits = new FixedBitSet[leaves.size()];
    for (LeafReaderContext leaf : leaves) {
      ScorerSupplier supplier = weight.scorerSupplier(leaf);
      if (supplier == null) {
        // No match here; the segment's arrays are still read, as a collector would have read them.
        tally.leafCollector(leaf).finish();
        continue;
      }
      int maxDoc = leaf.reader().maxDoc();
      if (supplier.cost() >= maxDoc / DENSE_DIVISOR && evaluable(rewritten)) {
        FixedBitSet bits = bits(rewritten, leaf);
        if (leaf.reader().getLiveDocs() != null) {
          leaf.reader().getLiveDocs().applyMask(bits, 0);
        }
        tally.countBits(leaf, bits);
        fromBits[leaf.ord] = bits;
      } else {
        LeafCollector collector = tally.leafCollector(leaf);
        BulkScorer scorer = supplier.bulkScorer();
        scorer.score(collector, leaf.reader().getLiveDocs(), 0, DocIdSetIterator.NO_MORE_DOCS);
        collector.finish();
      }
    }
    return fromBits;
  }

  /** Whether the query's top is a term or a boolean combination, which bit sets evaluate better than scorers. */
  private static boolean evaluable(Query q) {
    Query inner = unwrap(q);
    return inner instanceof TermQuery || inner instanceof BooleanQuery b && b.getMinimumNumberShouldMatch() == 0;
  }

  private static Query unwrap(Query q) {
    while (true) {
      if (q instanceof BoostQuery b) {
        q = b.getQuery();
      } else if (q instanceof ConstantScoreQuery c) {
        q = c.getQuery();
      } else {
        return q;
      }
    }
  }

  /** The pages of the segment the query matches, deleted pages included. */
  private FixedBitSet bits(Query query, LeafReaderContext leaf) throws IOException {
    Query q = unwrap(query);
    int maxDoc = leaf.reader().maxDoc();
    if (q instanceof TermQuery t) {
      return termBits(t, leaf);
    }
    if (q instanceof BooleanQuery b && b.getMinimumNumberShouldMatch() == 0) {
      List<Query> required = new ArrayList<>();
      List<Query> optional = new ArrayList<>();
      List<Query> excluded = new ArrayList<>();
      for (BooleanClause c : b.clauses()) {
        switch (c.occur()) {
          case MUST, FILTER -> required.add(c.query());
          case SHOULD -> optional.add(c.query());
          case MUST_NOT -> excluded.add(c.query());
        }
      }
      FixedBitSet result;
      if (!required.isEmpty()) {
        // With a required clause, the optional ones only score.
        result = bits(required.getFirst(), leaf);
        for (int i = 1; i < required.size() && result.nextSetBit(0) != DocIdSetIterator.NO_MORE_DOCS; i++) {
          result.and(bits(required.get(i), leaf));
        }
      } else if (!optional.isEmpty()) {
        result = bits(optional.getFirst(), leaf);
        for (int i = 1; i < optional.size(); i++) {
          result.or(bits(optional.get(i), leaf));
        }
      } else {
        // Only exclusions: a boolean query of prohibited clauses alone matches nothing.
        return new FixedBitSet(maxDoc);
      }
      for (Query not : excluded) {
        result.andNot(bits(not, leaf));
      }
      return result;
    }
    return scorerBits(q, leaf);
  }

  /** A term's postings decoded into bits, through the statistics the query carries where it has them. */
  private FixedBitSet termBits(TermQuery t, LeafReaderContext leaf) throws IOException {
    FixedBitSet bits = new FixedBitSet(leaf.reader().maxDoc());
    TermStates states = t.getTermStates();
    TermsEnum terms;
    if (states != null && states.wasBuiltFor(searcher.getTopReaderContext())) {
      IOSupplier<TermState> supplier = states.get(leaf);
      TermState state = supplier == null ? null : supplier.get();
      if (state == null) {
        return bits;
      }
      Terms field = leaf.reader().terms(t.getTerm().field());
      terms = field.iterator();
      terms.seekExact(t.getTerm().bytes(), state);
    } else {
      Terms field = leaf.reader().terms(t.getTerm().field());
      if (field == null) {
        return bits;
      }
      terms = field.iterator();
      if (!terms.seekExact(t.getTerm().bytes())) {
        return bits;
      }
    }
    PostingsEnum postings = terms.postings(null, PostingsEnum.NONE);
    postings.nextDoc();
    postings.intoBitSet(leaf.reader().maxDoc(), bits, 0);
    return bits;
  }

  /** Any other query, through its own scorer. */
  private FixedBitSet scorerBits(Query q, LeafReaderContext leaf) throws IOException {
    FixedBitSet bits = new FixedBitSet(leaf.reader().maxDoc());
    Weight weight = weights.get(q);
    if (weight == null) {
      weight = searcher.createWeight(q, ScoreMode.COMPLETE_NO_SCORES, 1f);
      weights.put(q, weight);
    }
    Scorer scorer = weight.scorer(leaf);
    if (scorer == null) {
      return bits;
    }
    TwoPhaseIterator twoPhase = scorer.twoPhaseIterator();
    if (twoPhase == null) {
      DocIdSetIterator it = scorer.iterator();
      it.nextDoc();
      it.intoBitSet(leaf.reader().maxDoc(), bits, 0);
    } else {
      DocIdSetIterator approximation = twoPhase.approximation();
      for (int doc = approximation.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = approximation.nextDoc()) {
        if (twoPhase.matches()) {
          bits.set(doc);
        }
      }
    }
    return bits;
  }
}

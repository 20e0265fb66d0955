package jp.tsunagu.search.page;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.StringHelper;

/**
 * Counts the matches of a page search and the values of the facets it asks for, in one pass:
 * every collected page is counted once, each asked dimension reads its own doc values field
 * ({@link PageFields#facetValues}), and the {@code published} ranges are counted from the same
 * page's publication time. Dimensions not asked for are not read.
 *
 * <p>Pages written before the per-dimension fields keep their values in Lucene's one facet field
 * ({@link FacetsConfig#DEFAULT_INDEX_FIELD_NAME}, {@code dim\u001Flabel}); a page has values in
 * one layout or the other, so each page is counted from whichever it has, and an old, a rebuilt
 * or a half-updated index gives the same counts. Values are ordered as Lucene's facet counts
 * order them: most pages first, equal counts by the value's bytes; at most {@link #maxValues}.
 *
 * <p>One tally per search; not thread-safe.
 */
final class FacetTally {

  private static final char DELIM = FacetsConfig.DELIM_CHAR;
  /** Pages counted at a time where a segment's values are all in arrays. */
  static final int BATCH = 512;
  /** Interleaved copies of a dimension's counts in a batch. */
  private static final int LANES = 4;

  private final List<PageFacet> dims = new ArrayList<>();
  private final boolean published;
  private final long[] rangeFrom;
  private final long[] rangeTo;
  private final int maxValues;
  private final List<Map<BytesRef, long[]>> values = new ArrayList<>();
  private final long[] rangeCounts;
  private long total;

  /** @param facets the facets asked for; {@code now} places the published ranges */
  FacetTally(Set<PageFacet> facets, Instant now, int maxValues) {
    this.maxValues = maxValues;
    for (PageFacet facet : PageFacet.values()) {
      if (facets.contains(facet) && facet != PageFacet.PUBLISHED) {
        dims.add(facet);
        values.add(new HashMap<>());
      }
    }
    this.published = facets.contains(PageFacet.PUBLISHED);
    PublishedRange[] ranges = PublishedRange.values();
    this.rangeFrom = new long[ranges.length];
    this.rangeTo = new long[ranges.length];
    for (int i = 0; i < ranges.length; i++) {
      rangeFrom[i] = ranges[i].from(now);
      rangeTo[i] = ranges[i].to(now);
    }
    this.rangeCounts = new long[ranges.length];
  }

  /** How many pages were counted. */
  long total() {
    return total;
  }

  /** Counts every page of {@code matches} (a facets collector's pages, in document order). */
  void countAll(FacetsCollector matches) throws IOException {
    for (FacetsCollector.MatchingDocs m : matches.getMatchingDocs()) {
      Leaf leaf = leaf(m.context());
      DocIdSetIterator docs = m.bits().iterator();
      for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
        leaf.count(doc);
      }
      leaf.finish();
    }
  }

  /** The counts of one segment; {@link Leaf#count} takes its pages in increasing order. */
  Leaf leaf(LeafReaderContext context) throws IOException {
    return new Leaf(context.reader());
  }

  /** The counts, by API name, of every facet asked for, in the order of {@link PageFacet}. */
  Map<String, List<FacetCount>> result() {
    Map<String, List<FacetCount>> out = new LinkedHashMap<>();
    int d = 0;
    for (PageFacet facet : PageFacet.values()) {
      if (facet == PageFacet.PUBLISHED && published) {
        List<FacetCount> ranges = new ArrayList<>();
        PublishedRange[] all = PublishedRange.values();
        for (int i = 0; i < all.length; i++) {
          ranges.add(new FacetCount(all[i].code(), rangeCounts[i]));
        }
        out.put(facet.apiName(), List.copyOf(ranges));
      } else if (d < dims.size() && dims.get(d) == facet) {
        out.put(facet.apiName(), top(values.get(d)));
        d++;
      }
    }
    return out;
  }

  private List<FacetCount> top(Map<BytesRef, long[]> counts) {
    List<Map.Entry<BytesRef, long[]>> entries = new ArrayList<>(counts.entrySet());
    entries.sort((a, b) -> a.getValue()[0] != b.getValue()[0]
        ? Long.compare(b.getValue()[0], a.getValue()[0])
        : a.getKey().compareTo(b.getKey()));
    List<FacetCount> out = new ArrayList<>(Math.min(maxValues, entries.size()));
    for (Map.Entry<BytesRef, long[]> e : entries.subList(0, Math.min(maxValues, entries.size()))) {
      out.add(new FacetCount(e.getKey().utf8ToString(), e.getValue()[0]));
    }
    return List.copyOf(out);
  }

  /** A collector manager that counts every page a query matches into {@code tally} (one slice at a time). */
  static CollectorManager<Collector, FacetTally> manager(FacetTally tally) {
    return new CollectorManager<>() {
      @Override
      public Collector newCollector() {
        return tally.collector();
      }

      @Override
      public FacetTally reduce(Collection<Collector> collectors) {
        return tally;
      }
    };
  }

  /** Counts the pages of a segment whose bits are set, in increasing order. */
  void countBits(LeafReaderContext context, FixedBitSet bits) throws IOException {
    Leaf leaf = leaf(context);
    leaf.countSetBits(bits.getBits());
    leaf.finish();
  }

  /** A collector of one segment's pages into this tally; {@link LeafCollector#finish} adds them. */
  LeafCollector leafCollector(LeafReaderContext context) throws IOException {
    return collector().getLeafCollector(context);
  }

  private Collector collector() {
    return new Collector() {
      @Override
      public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
      }

      @Override
      public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
        Leaf leaf = leaf(context);
        return new LeafCollector() {
          @Override
          public void setScorer(Scorable scorer) {}

          @Override
          public void collect(int doc) throws IOException {
            leaf.count(doc);
          }

          @Override
          public void finish() throws IOException {
            leaf.finish();
          }
        };
      }
    };
  }

  /** One segment's doc values and counts by segment ordinal, added to the tally by value at {@link #finish}. */
  final class Leaf {
    private final SortedDocValues[] single;
    /**
     * The ordinals of the single-valued dimensions by page, where the segment's are kept
     * ({@link SegmentValues}): 1 + the ordinal in a byte for a dimension of few values, else the
     * ordinal (-1 without a value).
     */
    private final byte[][] smallOrds;
    private final int[][] singleOrds;
    /** The publication times of the segment's pages as ranks, where the segment's are kept. */
    private final SegmentValues.Ranks publishedRanks;
    private final SortedSetDocValues[] multi;
    /** Counts by ordinal; for a dimension in bytes, by 1 + the ordinal (slot 0: pages without a value). */
    private final int[][] ordCounts;
    private final SortedSetDocValues old;
    private final int[] oldCounts;
    private final NumericDocValues publishedOne;
    private final SortedNumericDocValues publishedMany;
    /**
     * Whether every asked dimension the segment has is in bytes, the publication time in ranks
     * (when asked) and no page has the old layout: then pages are counted in batches without a branch on their values ({@link #countPending}).
     */
    private final boolean allSmall;
    /** Per published range, its first rank and its number of ranks less one (an empty range: a first rank no page has). */
    private final int[] rankFrom;
    private final int[] rankSpan;
    private long counted;
    /**
     * Where every asked dimension is in bytes ({@link #allSmall}): the pages collected and not yet
     * counted, counted a batch at a time ({@link #countPending}); the ranks of a batch; and per
     * dimension its counts in {@link #LANES} interleaved copies, added up at {@link #finish}.
     */
    private final int[] pending;
    private final int[] pendingRanks;
    private int pendingCount;
    private final int[][] laneCounts;

    private Leaf(LeafReader reader) throws IOException {
      int n = dims.size();
      single = new SortedDocValues[n];
      smallOrds = new byte[n][];
      singleOrds = new int[n][];
      multi = new SortedSetDocValues[n];
      ordCounts = new int[n][];
      boolean small = true;
      for (int d = 0; d < n; d++) {
        String field = PageFields.facetValues(dims.get(d).apiName());
        if (reader.getFieldInfos().fieldInfo(field) == null) {
          continue;
        }
        SortedSetDocValues set = DocValues.getSortedSet(reader, field);
        SortedDocValues one = DocValues.unwrapSingleton(set);
        if (one != null) {
          single[d] = one;
          smallOrds[d] = one.getValueCount() <= SegmentValues.SMALL ? SegmentValues.smallOrds(reader, field) : null;
          singleOrds[d] = smallOrds[d] == null ? SegmentValues.ords(reader, field) : null;
          ordCounts[d] = new int[one.getValueCount() + (smallOrds[d] != null ? 1 : 0)];
        } else {
          multi[d] = set;
          ordCounts[d] = new int[Math.toIntExact(set.getValueCount())];
        }
        small &= smallOrds[d] != null;
      }
      boolean oldLayout = n > 0 && reader.getFieldInfos().fieldInfo(FacetsConfig.DEFAULT_INDEX_FIELD_NAME) != null;
      old = oldLayout ? DocValues.getSortedSet(reader, FacetsConfig.DEFAULT_INDEX_FIELD_NAME) : null;
      oldCounts = old == null ? null : new int[Math.toIntExact(old.getValueCount())];
      boolean hasPublished = published && reader.getFieldInfos().fieldInfo(PageFields.PUBLISHED) != null;
      publishedRanks = hasPublished ? SegmentValues.ranks(reader, PageFields.PUBLISHED) : null;
      if (publishedRanks == null && hasPublished) {
        SortedNumericDocValues many = DocValues.getSortedNumeric(reader, PageFields.PUBLISHED);
        publishedOne = DocValues.unwrapSingleton(many);
        publishedMany = publishedOne == null ? many : null;
      } else {
        publishedOne = null;
        publishedMany = null;
      }
      allSmall = small && old == null && (!hasPublished || publishedRanks != null);
      pending = allSmall ? new int[BATCH] : null;
      pendingRanks = allSmall && publishedRanks != null ? new int[BATCH] : null;
      laneCounts = new int[n][];
      for (int d = 0; d < n && allSmall; d++) {
        laneCounts[d] = smallOrds[d] == null ? null : new int[LANES * ordCounts[d].length];
      }
      rankFrom = new int[rangeCounts.length];
      rankSpan = new int[rangeCounts.length];
      if (publishedRanks != null) {
        for (int r = 0; r < rangeCounts.length; r++) {
          int first = publishedRanks.atLeast(rangeFrom[r]);
          int last = publishedRanks.atMost(rangeTo[r]);
          rankFrom[r] = last >= first ? first : Integer.MAX_VALUE;
          rankSpan[r] = last >= first ? last - first : 0;
        }
      }
    }

    /** Counts one page; pages come in increasing order. */
    void count(int doc) throws IOException {
      if (allSmall) {
        pending[pendingCount++] = doc;
        if (pendingCount == pending.length) {
          countPending();
        }
        return;
      }
      counted++;
      for (int d = 0; d < single.length; d++) {
        if (smallOrds[d] != null) {
          ordCounts[d][smallOrds[d][doc] & 0xFF]++;
        } else if (singleOrds[d] != null) {
          int ord = singleOrds[d][doc];
          if (ord >= 0) {
            ordCounts[d][ord]++;
          }
        } else if (single[d] != null) {
          if (single[d].advanceExact(doc)) {
            ordCounts[d][single[d].ordValue()]++;
          }
        } else if (multi[d] != null && multi[d].advanceExact(doc)) {
          for (int i = multi[d].docValueCount(); i > 0; i--) {
            ordCounts[d][(int) multi[d].nextOrd()]++;
          }
        }
      }
      if (old != null && old.advanceExact(doc)) {
        for (int i = old.docValueCount(); i > 0; i--) {
          oldCounts[(int) old.nextOrd()]++;
        }
      }
      if (publishedRanks != null) {
        countRank(publishedRanks.ranks()[doc]);
      } else if (publishedOne != null) {
        if (publishedOne.advanceExact(doc)) {
          countPublished(publishedOne.longValue(), null);
        }
      } else if (publishedMany != null && publishedMany.advanceExact(doc)) {
        boolean[] seen = new boolean[rangeCounts.length];
        for (int i = publishedMany.docValueCount(); i > 0; i--) {
          countPublished(publishedMany.nextValue(), seen);
        }
      }
    }

    /** Counts the pages whose bits are set, in increasing order. */
    void countSetBits(long[] words) throws IOException {
      if (!allSmall) {
        for (int w = 0; w < words.length; w++) {
          for (long word = words[w]; word != 0; word &= word - 1) {
            count((w << 6) + Long.numberOfTrailingZeros(word));
          }
        }
        return;
      }
      int[] docs = pending;
      int n = pendingCount;
      for (int w = 0; w < words.length; w++) {
        for (long word = words[w]; word != 0; word &= word - 1) {
          docs[n++] = (w << 6) + Long.numberOfTrailingZeros(word);
          if (n == docs.length) {
            pendingCount = n;
            countPending();
            n = 0;
          }
        }
      }
      pendingCount = n;
    }

    /**
     * Counts the pages kept since the last call from the byte ordinals and the ranks alone, one
     * dimension (and one range) at a time over the batch, without a branch on a page's values: a
     * page's publication time falls on either side of a range's bounds about as often as not, so a
     * branch per range would be mispredicted about as often. Each loop keeps its array, its bounds
     * and its count in registers, and a dimension's counts go to {@link #LANES} interleaved copies
     * so that pages with the same value in a row do not wait for each other's increments.
     */
    private void countPending() {
      int n = pendingCount;
      if (n == 0) {
        return;
      }
      pendingCount = 0;
      counted += n;
      int[] docs = pending;
      for (int d = 0; d < smallOrds.length; d++) {
        byte[] ords = smallOrds[d];
        if (ords == null) {
          // only for a dimension without a field in this segment: the same for every page
          continue;
        }
        int[] lanes = laneCounts[d];
        int width = ordCounts[d].length;
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
          lanes[ords[docs[i]] & 0xFF]++;
          lanes[width + (ords[docs[i + 1]] & 0xFF)]++;
          lanes[2 * width + (ords[docs[i + 2]] & 0xFF)]++;
          lanes[3 * width + (ords[docs[i + 3]] & 0xFF)]++;
        }
        for (; i < n; i++) {
          lanes[ords[docs[i]] & 0xFF]++;
        }
      }
      if (publishedRanks != null) {
        int[] ranks = publishedRanks.ranks();
        int[] batch = pendingRanks;
        for (int i = 0; i < n; i++) {
          batch[i] = ranks[docs[i]];
        }
        for (int r = 0; r < rangeCounts.length; r++) {
          int from = rankFrom[r];
          int span = rankSpan[r];
          long in = 0;
          for (int i = 0; i < n; i++) {
            // rank in [from, from + span], as one unsigned comparison (rank 0: no time, in no range)
            in += Integer.compareUnsigned(batch[i] - from, span) <= 0 ? 1 : 0;
          }
          rangeCounts[r] += in;
        }
      }
    }

    /** Counts a publication time by its rank (0: the page has none, in no range). */
    private void countRank(int rank) {
      for (int r = 0; r < rangeCounts.length; r++) {
        // rank in [rankFrom, rankFrom + rankSpan], as one unsigned comparison
        rangeCounts[r] += Integer.compareUnsigned(rank - rankFrom[r], rankSpan[r]) <= 0 ? 1 : 0;
      }
    }

    private void countPublished(long value, boolean[] seen) {
      for (int r = 0; r < rangeCounts.length; r++) {
        if (value >= rangeFrom[r] && value <= rangeTo[r] && (seen == null || !seen[r])) {
          rangeCounts[r]++;
          if (seen != null) {
            seen[r] = true;
          }
        }
      }
    }

    /** Adds this segment's counts to the tally, by value. */
    void finish() throws IOException {
      if (allSmall) {
        countPending();
        for (int d = 0; d < laneCounts.length; d++) {
          int[] lanes = laneCounts[d];
          if (lanes == null) {
            continue;
          }
          int[] counts = ordCounts[d];
          for (int lane = 0; lane < LANES; lane++) {
            for (int slot = 0; slot < counts.length; slot++) {
              counts[slot] += lanes[lane * counts.length + slot];
            }
          }
        }
      }
      total += counted;
      for (int d = 0; d < ordCounts.length; d++) {
        int[] counts = ordCounts[d];
        if (counts == null) {
          continue;
        }
        int shift = smallOrds[d] != null ? 1 : 0;
        for (int slot = shift; slot < counts.length; slot++) {
          if (counts[slot] > 0) {
            int ord = slot - shift;
            BytesRef label = single[d] != null ? single[d].lookupOrd(ord) : multi[d].lookupOrd(ord);
            add(d, label, counts[slot]);
          }
        }
      }
      if (old != null) {
        finishOld();
      }
    }

    /** The old layout's ordinals are sorted by {@code dim\u001Flabel}: each dimension is one run of them. */
    private void finishOld() throws IOException {
      TermsEnum terms = old.termsEnum();
      for (int d = 0; d < dims.size(); d++) {
        BytesRef prefix = new BytesRef(dims.get(d).apiName() + DELIM);
        if (terms.seekCeil(prefix) == TermsEnum.SeekStatus.END) {
          continue;
        }
        for (BytesRef term = terms.term(); term != null && StringHelper.startsWith(term, prefix); term = terms.next()) {
          int count = oldCounts[(int) terms.ord()];
          if (count > 0) {
            add(d, new BytesRef(term.bytes, term.offset + prefix.length, term.length - prefix.length), count);
          }
        }
      }
    }

    private void add(int d, BytesRef label, long count) {
      BytesRef key = BytesRef.deepCopyOf(label);
      long[] sum = values.get(d).get(key);
      if (sum == null) {
        values.get(d).put(key, new long[] {count});
      } else {
        sum[0] += count;
      }
    }
  }
}

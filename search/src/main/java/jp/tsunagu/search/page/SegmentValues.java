package jp.tsunagu.search.page;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.FixedBitSet;

/**
 * Single-valued doc values of a segment read once into arrays (ordinal by document, rank of the
 * value by document), for the facet counts of every search on that segment: an array read per
 * match instead of a doc values lookup per match and dimension. Index data, never results: a
 * segment's doc values do not change while it lives (the page index never updates doc values in
 * place), so the arrays are kept per segment core and dropped when the core closes. A dimension
 * with at most 255 values takes one byte per page, a larger one 4, and the publication time 4 (its
 * rank among the segment's distinct times). Thread-safe.
 *
 * <p>Counting is a pass over every match with about a third of all pages matching, so it reads
 * every cache line of these arrays: their size, not the arithmetic, is most of its cost.
 */
final class SegmentValues {

  /** A dimension with at most this many values keeps its ordinals in bytes ({@link #smallOrds}). */
  static final int SMALL = 255;

  private SegmentValues() {}

  /**
   * A segment's values of a numeric field as dense ranks: {@code ranks[doc]} is 1 + the index of
   * the page's value in {@code distinct} (the segment's distinct values in increasing order), 0
   * without a value. Comparing ranks is comparing values: {@code value >= v} exactly when
   * {@code rank >= atLeast(v)}, {@code value <= v} exactly when {@code rank <= atMost(v)}.
   */
  record Ranks(int[] ranks, long[] distinct) {
    /** The first rank whose value is at least {@code v} ({@code distinct.length + 1} if none). */
    int atLeast(long v) {
      int i = Arrays.binarySearch(distinct, v);
      return (i >= 0 ? i : -i - 1) + 1;
    }

    /** The last rank whose value is at most {@code v} (0 if none). */
    int atMost(long v) {
      int i = Arrays.binarySearch(distinct, v);
      return i >= 0 ? i + 1 : -i - 1;
    }

    /** The value of a rank above 0. */
    long value(int rank) {
      return distinct[rank - 1];
    }
  }

  private record Key(IndexReader.CacheKey core, String field, String kind) {}

  private static final Map<Key, Object> CACHE = new ConcurrentHashMap<>();
  private static final Set<IndexReader.CacheKey> WATCHED = ConcurrentHashMap.newKeySet();

  /**
   * The ordinal of every page of the segment in the sorted doc values field (-1 without a value),
   * or null when the segment cannot be cached (no core cache key).
   */
  static int[] ords(LeafReader reader, String field) throws IOException {
    return (int[]) cached(reader, field, "ords", () -> {
      // A sorted field, or a sorted-set one whose every page has one value.
      SortedDocValues values = DocValues.unwrapSingleton(DocValues.getSortedSet(reader, field));
      if (values == null) {
        return null;
      }
      int[] ords = new int[reader.maxDoc()];
      Arrays.fill(ords, -1);
      for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
        ords[doc] = values.ordValue();
      }
      return ords;
    });
  }

  /**
   * For a sorted field of at most {@link #SMALL} values: 1 + the ordinal of every page as an
   * unsigned byte (0 without a value); null when the field has more values or the segment cannot
   * be cached.
   */
  static byte[] smallOrds(LeafReader reader, String field) throws IOException {
    return (byte[]) cached(reader, field, "small", () -> {
      SortedDocValues values = DocValues.unwrapSingleton(DocValues.getSortedSet(reader, field));
      if (values == null || values.getValueCount() > SMALL) {
        return null;
      }
      byte[] ords = new byte[reader.maxDoc()];
      for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
        ords[doc] = (byte) (values.ordValue() + 1);
      }
      return ords;
    });
  }

  /** The single value of every page of the segment in the numeric field as ranks, or null when the segment cannot be cached. */
  static Ranks ranks(LeafReader reader, String field) throws IOException {
    return (Ranks) cached(reader, field, "ranks", () -> {
      NumericDocValues values = DocValues.unwrapSingleton(DocValues.getSortedNumeric(reader, field));
      if (values == null) {
        return null;
      }
      long[] byDoc = new long[reader.maxDoc()];
      FixedBitSet present = new FixedBitSet(reader.maxDoc());
      int count = 0;
      for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
        byDoc[doc] = values.longValue();
        present.set(doc);
        count++;
      }
      long[] sorted = new long[count];
      for (int doc = 0, i = 0; doc < byDoc.length; doc++) {
        if (present.get(doc)) {
          sorted[i++] = byDoc[doc];
        }
      }
      Arrays.sort(sorted);
      int distinct = 0;
      for (int i = 0; i < sorted.length; i++) {
        if (i == 0 || sorted[i] != sorted[i - 1]) {
          sorted[distinct++] = sorted[i];
        }
      }
      long[] distinctValues = Arrays.copyOf(sorted, distinct);
      int[] ranks = new int[byDoc.length];
      for (int doc = 0; doc < byDoc.length; doc++) {
        if (present.get(doc)) {
          ranks[doc] = Arrays.binarySearch(distinctValues, byDoc[doc]) + 1;
        }
      }
      return new Ranks(ranks, distinctValues);
    });
  }

  /** Reads a segment's values once; null when the field is not single-valued there. */
  private interface Loader {
    Object load() throws IOException;
  }

  /** The segment's kept values of {@code field}, loaded now if not kept yet; null when the segment cannot be cached. */
  private static Object cached(LeafReader reader, String field, String kind, Loader loader) throws IOException {
    IndexReader.CacheHelper helper = reader.getCoreCacheHelper();
    if (helper == null) {
      return null;
    }
    Key key = new Key(helper.getKey(), field, kind);
    Object cached = CACHE.get(key);
    if (cached == null) {
      Object loaded = loader.load();
      if (loaded == null) {
        return null;
      }
      cached = keep(helper, key, loaded);
    }
    return cached;
  }

  private static Object keep(IndexReader.CacheHelper helper, Key key, Object value) {
    IndexReader.CacheKey core = helper.getKey();
    if (WATCHED.add(core)) {
      helper.addClosedListener(closed -> {
        CACHE.keySet().removeIf(k -> k.core() == closed);
        WATCHED.remove(closed);
      });
    }
    Object previous = CACHE.putIfAbsent(key, value);
    return previous == null ? value : previous;
  }

  /** How many arrays are kept (for tests). */
  static int size() {
    return CACHE.size();
  }
}

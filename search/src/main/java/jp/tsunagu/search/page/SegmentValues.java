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
 * Single-valued doc values of a segment read once into arrays (ordinal by document, value by
 * document), for the facet counts of every search on that segment: an array read per match
 * instead of a doc values lookup per match and dimension. Index data, never results: a segment's
 * doc values do not change while it lives (the page index never updates doc values in place), so
 * the arrays are kept per segment core and dropped when the core closes. About 4 bytes per page
 * and dimension asked for, and 8 for the publication time. Thread-safe.
 */
final class SegmentValues {

  private SegmentValues() {}

  /** A segment's values of a numeric field; {@code present} marks the pages that have one. */
  record Longs(long[] values, FixedBitSet present) {}

  private record Key(IndexReader.CacheKey core, String field) {}

  private static final Map<Key, Object> CACHE = new ConcurrentHashMap<>();
  private static final Set<IndexReader.CacheKey> WATCHED = ConcurrentHashMap.newKeySet();

  /**
   * The ordinal of every page of the segment in the sorted doc values field (-1 without a value),
   * or null when the segment cannot be cached (no core cache key).
   */
  static int[] ords(LeafReader reader, String field) throws IOException {
    return (int[]) cached(reader, field, () -> {
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

  /** The single value of every page of the segment in the numeric field, or null when the segment cannot be cached. */
  static Longs longs(LeafReader reader, String field) throws IOException {
    return (Longs) cached(reader, field, () -> {
      NumericDocValues values = DocValues.unwrapSingleton(DocValues.getSortedNumeric(reader, field));
      if (values == null) {
        return null;
      }
      long[] longs = new long[reader.maxDoc()];
      FixedBitSet present = new FixedBitSet(reader.maxDoc());
      for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
        longs[doc] = values.longValue();
        present.set(doc);
      }
      return new Longs(longs, present);
    });
  }

  /** Reads a segment's values once; null when the field is not single-valued there. */
  private interface Loader {
    Object load() throws IOException;
  }

  /** The segment's kept values of {@code field}, loaded now if not kept yet; null when the segment cannot be cached. */
  private static Object cached(LeafReader reader, String field, Loader loader) throws IOException {
    IndexReader.CacheHelper helper = reader.getCoreCacheHelper();
    if (helper == null) {
      return null;
    }
    Key key = new Key(helper.getKey(), field);
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

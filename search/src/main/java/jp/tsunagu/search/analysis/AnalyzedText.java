package jp.tsunagu.search.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ja.tokenattributes.ReadingAttribute;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TermFrequencyAttribute;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;
import org.apache.lucene.util.UnicodeUtil;

/**
 * A text analysed once by the surface chain and kept as tokens, so that the surface field and its
 * reading twin are indexed from one Kuromoji pass. The reading of each token is computed with
 * {@link Readings#of}, exactly as {@link KatakanaReadingFilter} does at query time.
 *
 * <p>Each token is kept as the UTF-8 bytes Lucene indexes (surface and reading back to back in two
 * buffers, no object per token), encoded once and replayed as bytes into every field that takes
 * it: the index writer does not encode them again for each field.
 */
public final class AnalyzedText {

  private final Terms surface;
  private final Terms reading;
  private final int[] starts;
  private final int[] ends;
  private final int[] increments;
  private final int count;
  private final int length;

  private AnalyzedText(Terms surface, Terms reading, int[] starts, int[] ends, int[] increments, int count, int length) {
    this.surface = surface;
    this.reading = reading;
    this.starts = starts;
    this.ends = ends;
    this.increments = increments;
    this.count = count;
    this.length = length;
  }

  /** Runs the analyzer (a surface chain) over the text once. */
  public static AnalyzedText analyze(Analyzer analyzer, String field, String text) {
    int expected = Math.max(16, text.length() / 2);
    Terms surface = new Terms(expected);
    Terms reading = new Terms(expected);
    int[] starts = new int[expected];
    int[] ends = new int[expected];
    int[] increments = new int[expected];
    int count = 0;
    try (TokenStream ts = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ReadingAttribute readingAttribute = ts.addAttribute(ReadingAttribute.class);
      OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
      PositionIncrementAttribute increment = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        if (count == starts.length) {
          int grown = count * 2;
          starts = Arrays.copyOf(starts, grown);
          ends = Arrays.copyOf(ends, grown);
          increments = Arrays.copyOf(increments, grown);
        }
        surface.add(term);
        reading.add(Readings.of(term, readingAttribute.getReading()));
        starts[count] = offset.startOffset();
        ends[count] = offset.endOffset();
        increments[count] = increment.getPositionIncrement();
        count++;
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new AnalyzedText(surface, reading, starts, ends, increments, count, text.length());
  }

  /** The number of tokens. */
  public int size() {
    return count;
  }

  /** The surface terms, in order (decoded on each call: for short texts and tests). */
  public List<String> terms() {
    return surface.strings(count);
  }

  /** The katakana readings, in order, one per term. */
  public List<String> readings() {
    return reading.strings(count);
  }

  /** The surface tokens with their offsets, for a field indexed with offsets (highlighting). */
  public TokenStream surfaceStream() {
    return new Replay(surface);
  }

  /** The reading tokens, same positions and offsets. */
  public TokenStream readingStream() {
    return new Replay(reading);
  }

  /**
   * Every distinct surface term of the texts once, with a term frequency that weighs each text:
   * a term's frequency is the sum over the texts of {@code weights[t]} times its count in text
   * {@code t}. For a field of documents and frequencies with norms (a combined scoring field):
   * the field's length, and so its BM25 norm, is the weighted number of tokens.
   */
  public static TokenStream weightedTerms(int[] weights, AnalyzedText... texts) {
    return new Distinct(texts, true, weights);
  }

  /** As {@link #weightedTerms}, for the readings. */
  public static TokenStream weightedReadings(int[] weights, AnalyzedText... texts) {
    return new Distinct(texts, false, weights);
  }

  /** UTF-8 terms back to back in one buffer; term {@code i} ends at {@code termEnds[i]}. */
  private static final class Terms {
    private byte[] bytes;
    private int[] termEnds;
    private int size;
    private int used;

    Terms(int expectedTerms) {
      bytes = new byte[expectedTerms * 6];
      termEnds = new int[expectedTerms];
    }

    void add(CharSequence s) {
      reserve(s.length());
      used = UnicodeUtil.UTF16toUTF8(s, 0, s.length(), bytes, used);
      termEnds[size++] = used;
    }

    private void reserve(int chars) {
      int need = used + UnicodeUtil.maxUTF8Length(chars);
      if (need > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(need, bytes.length * 2));
      }
      if (size == termEnds.length) {
        termEnds = Arrays.copyOf(termEnds, size * 2);
      }
    }

    int start(int i) {
      return i == 0 ? 0 : termEnds[i - 1];
    }

    int end(int i) {
      return termEnds[i];
    }

    List<String> strings(int count) {
      List<String> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        out.add(new String(bytes, start(i), end(i) - start(i), StandardCharsets.UTF_8));
      }
      return out;
    }
  }

  private final class Replay extends TokenStream {
    private final Terms values;
    private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
    private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
    private final BytesRef bytes;
    private int next;

    Replay(Terms values) {
      this.values = values;
      this.bytes = new BytesRef(values.bytes, 0, 0);
      term.setBytesRef(bytes);
    }

    @Override
    public boolean incrementToken() {
      if (next >= count) {
        return false;
      }
      // Every attribute this stream has is set below, so there is nothing to clear.
      bytes.offset = values.start(next);
      bytes.length = values.end(next) - bytes.offset;
      offset.setOffset(starts[next], ends[next]);
      increment.setPositionIncrement(increments[next]);
      next++;
      return true;
    }

    @Override
    public void end() throws IOException {
      super.end();
      offset.setOffset(length, length);
    }

    @Override
    public void reset() throws IOException {
      super.reset();
      next = 0;
    }
  }

  /**
   * The distinct terms of several texts with their weighted counts, found with an open-addressing
   * table of (text, token) references into the texts' own buffers: nothing is copied.
   */
  private static final class Distinct extends TokenStream {
    private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
    private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
    private final TermFrequencyAttribute frequency = addAttribute(TermFrequencyAttribute.class);
    private final BytesRef bytes = new BytesRef();
    private final Terms[] sources;
    /** Distinct terms in first-seen order, as (text index << 32 | token index). */
    private long[] distinct;
    /** The weighted frequency of each distinct term. */
    private final int[] frequencies;
    private int distinctCount;
    private int next;

    Distinct(AnalyzedText[] texts, boolean surface, int[] weights) {
      if (weights.length != texts.length) {
        throw new IllegalArgumentException("one weight per text");
      }
      sources = new Terms[texts.length];
      int total = 0;
      for (int t = 0; t < texts.length; t++) {
        sources[t] = surface ? texts[t].surface : texts[t].reading;
        total += texts[t].count;
      }
      int capacity = Integer.highestOneBit(Math.max(16, total * 2) - 1) << 1;
      int mask = capacity - 1;
      long[] table = new long[capacity];
      Arrays.fill(table, -1L);
      distinct = new long[Math.max(16, total)];
      // Slot of each distinct term in the table, to add weights to the term's frequency.
      int[] ordinalOfSlot = new int[capacity];
      frequencies = new int[distinct.length];
      for (int t = 0; t < texts.length; t++) {
        Terms terms = sources[t];
        byte[] b = terms.bytes;
        for (int i = 0; i < texts[t].count; i++) {
          int from = terms.start(i);
          int len = terms.end(i) - from;
          int slot = StringHelper.murmurhash3_x86_32(b, from, len, 0) & mask;
          while (true) {
            long ref = table[slot];
            if (ref == -1L) {
              long own = ((long) t << 32) | i;
              table[slot] = own;
              ordinalOfSlot[slot] = distinctCount;
              frequencies[distinctCount] = weights[t];
              distinct[distinctCount++] = own;
              break;
            }
            Terms other = sources[(int) (ref >>> 32)];
            int j = (int) ref;
            int otherFrom = other.start(j);
            if (Arrays.equals(b, from, from + len, other.bytes, otherFrom, other.end(j))) {
              frequencies[ordinalOfSlot[slot]] += weights[t];
              break;
            }
            slot = (slot + 1) & mask;
          }
        }
      }
    }

    @Override
    public boolean incrementToken() {
      if (next >= distinctCount) {
        return false;
      }
      long ref = distinct[next++];
      Terms terms = sources[(int) (ref >>> 32)];
      int i = (int) ref;
      bytes.bytes = terms.bytes;
      bytes.offset = terms.start(i);
      bytes.length = terms.end(i) - bytes.offset;
      term.setBytesRef(bytes);
      increment.setPositionIncrement(1);
      frequency.setTermFrequency(frequencies[next - 1]);
      return true;
    }

    @Override
    public void reset() throws IOException {
      super.reset();
      next = 0;
    }
  }
}

package jp.tsunagu.search.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ja.tokenattributes.ReadingAttribute;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * A text analysed once by the surface chain and kept as tokens, so that the surface field and its
 * reading twin are indexed from one Kuromoji pass. The reading of each token is computed with
 * {@link Readings#of}, exactly as {@link KatakanaReadingFilter} does at query time.
 */
public final class AnalyzedText {

  private final List<String> terms;
  private final List<String> readings;
  private final int[] starts;
  private final int[] ends;
  private final int[] increments;
  private final int length;

  private AnalyzedText(List<String> terms, List<String> readings, int[] starts, int[] ends, int[] increments, int length) {
    this.terms = terms;
    this.readings = readings;
    this.starts = starts;
    this.ends = ends;
    this.increments = increments;
    this.length = length;
  }

  /** Runs the analyzer (a surface chain) over the text once. */
  public static AnalyzedText analyze(Analyzer analyzer, String field, String text) {
    List<String> terms = new ArrayList<>();
    List<String> readings = new ArrayList<>();
    IntList starts = new IntList();
    IntList ends = new IntList();
    IntList increments = new IntList();
    try (TokenStream ts = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ReadingAttribute reading = ts.addAttribute(ReadingAttribute.class);
      OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
      PositionIncrementAttribute increment = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        String t = term.toString();
        terms.add(t);
        readings.add(Readings.of(t, reading.getReading()));
        starts.add(offset.startOffset());
        ends.add(offset.endOffset());
        increments.add(increment.getPositionIncrement());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new AnalyzedText(terms, readings, starts.toArray(), ends.toArray(), increments.toArray(), text.length());
  }

  public List<String> terms() {
    return terms;
  }

  public List<String> readings() {
    return readings;
  }

  /** The surface tokens with their offsets, for a field indexed with offsets (highlighting). */
  public TokenStream surfaceStream() {
    return new Replay(terms);
  }

  /** The reading tokens, same positions and offsets. */
  public TokenStream readingStream() {
    return new Replay(readings);
  }

  private final class Replay extends TokenStream {
    private final List<String> values;
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
    private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
    private int next;

    Replay(List<String> values) {
      this.values = values;
    }

    @Override
    public boolean incrementToken() {
      if (next >= values.size()) {
        return false;
      }
      // Every attribute this stream has is set below, so there is nothing to clear.
      term.setEmpty().append(values.get(next));
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

  private static final class IntList {
    private int[] values = new int[64];
    private int size;

    void add(int v) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(values, size);
    }
  }
}

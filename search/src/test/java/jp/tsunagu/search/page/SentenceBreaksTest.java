package jp.tsunagu.search.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceBreaksTest {

  static List<Integer> forward(BreakIterator it) {
    List<Integer> out = new ArrayList<>();
    for (int b = it.first(); b != BreakIterator.DONE; b = it.next()) {
      out.add(b);
    }
    return out;
  }

  @Test
  void sentencesEndAfterJapaneseAndAsciiStopsAndLineBreaks() {
    SentenceBreaks it = new SentenceBreaks();
    it.setText("一文目です。二文目！三文目\n四");
    assertEquals(List.of(0, 6, 10, 14, 15), forward(it));
    assertEquals(6, it.following(3));
    assertEquals(6, it.preceding(8));
    assertEquals(0, it.preceding(6));
    assertEquals(BreakIterator.DONE, it.following(15));
    assertEquals(BreakIterator.DONE, it.preceding(0));
    assertTrue(it.isBoundary(10));
    assertFalse(it.isBoundary(11));
    assertEquals(15, it.last());
    assertEquals(14, it.previous());
  }

  @Test
  void aRunOfStopsEndsOneSentence() {
    SentenceBreaks it = new SentenceBreaks();
    it.setText("本当？！はい。。");
    assertEquals(List.of(0, 4, 8), forward(it));
  }

  @Test
  void offsetsFollowTheCharacterIteratorsRange() {
    SentenceBreaks it = new SentenceBreaks();
    it.setText(new java.text.StringCharacterIterator("xxあ。いyy", 2, 6, 2));
    assertEquals(List.of(2, 4, 6), forward(it));
  }
}

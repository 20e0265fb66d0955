package jp.tsunagu.platform.tenant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CheckDigitTest {
  @Test
  void realCodesPassAndTyposFail() {
    for (String code : new String[] {"222097", "122190", "131016", "011002", "362069"}) {
      assertTrue(CheckDigit.valid(code), code);
    }
    for (String code : new String[] {"222098", "122191", "12219", "1221900", "abcdef", "", "２２２０９７"}) {
      assertFalse(CheckDigit.valid(code), code);
    }
  }
}

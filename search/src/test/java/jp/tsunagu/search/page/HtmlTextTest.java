package jp.tsunagu.search.page;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlTextTest {

  @Test
  void keepsTextDropsScriptsAndChrome() {
    String html = "<html><head><title>t</title><script>alert(1)</script></head><body>"
        + "<header>サイト名</header><nav>メニュー</nav><h1>保育園の申し込み</h1>"
        + "<p>申し込みは<b>窓口</b>で。</p><footer>著作権</footer></body></html>";
    assertEquals("保育園の申し込み申し込みは窓口で。", HtmlText.toText(html).replace("\n", ""));
  }

  @Test
  void malformedHtmlIsRepairedNotRejected() {
    assertEquals("開いたままの段落 閉じていない太字", HtmlText.toText("<p>開いたままの段落 <b>閉じていない太字<div</p>").strip());
    assertEquals("", HtmlText.toText("<<<>>>").replace("<", "").replace(">", "").strip());
    assertEquals("", HtmlText.toText(null));
  }
}

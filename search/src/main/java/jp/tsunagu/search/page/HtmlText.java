package jp.tsunagu.search.page;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Plain text of a page's HTML for indexing. Scripts, styles, navigation, headers and footers are
 * dropped; block elements become line breaks. Malformed HTML is repaired by jsoup, never rejected.
 */
public final class HtmlText {

  private HtmlText() {}

  public static String toText(String html) {
    if (html == null || html.isBlank()) {
      return "";
    }
    Document doc = Jsoup.parse(html);
    doc.select("script, style, noscript, template, nav, header, footer, iframe, svg").remove();
    doc.outputSettings().prettyPrint(false);
    String text = doc.body() == null ? doc.text() : doc.body().wholeText();
    return text.replaceAll("[ \\t\\x0B\\f\\r\\u00A0]+", " ").replaceAll("\\s*\\n\\s*", "\n").strip();
  }
}

package jp.tsunagu.platform.crawl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The title, description and main content of a fetched HTML page (jsoup: malformed markup is
 * repaired; the charset comes from the header, else the page's meta tag or BOM, so Shift_JIS
 * pages read correctly).
 */
final class HtmlExtract {
  /** What the crawler publishes of a page. */
  record Extracted(String title, String summary, String bodyHtml) {}

  private HtmlExtract() {}

  static Extracted extract(byte[] body, String contentType, String url) {
    Document doc;
    try {
      doc = Jsoup.parse(new ByteArrayInputStream(body), charset(contentType), url);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String title = meta(doc, "meta[property=og:title]");
    if (title.isEmpty()) {
      title = doc.title().strip();
    }
    if (title.isEmpty()) {
      Element h1 = doc.selectFirst("h1");
      title = h1 == null ? "" : h1.text().strip();
    }
    String summary = meta(doc, "meta[name=description]");
    Element main = doc.selectFirst("main, article, [role=main], #main, #contents, #content");
    Element content = main != null ? main : doc.body();
    return new Extracted(title, summary.length() > 2000 ? summary.substring(0, 2000) : summary,
        content == null ? "" : content.html());
  }

  private static String meta(Document doc, String css) {
    Element e = doc.selectFirst(css);
    return e == null ? "" : e.attr("content").strip();
  }

  /** The charset named by the Content-Type header, or null to let jsoup detect it. */
  private static String charset(String contentType) {
    if (contentType == null) {
      return null;
    }
    for (String part : contentType.split(";")) {
      String p = part.strip().toLowerCase(Locale.ROOT);
      if (p.startsWith("charset=")) {
        String name = p.substring(8).replace("\"", "").strip();
        return Charset.isSupported(name) ? name : null;
      }
    }
    return null;
  }
}

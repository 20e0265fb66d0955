package jp.tsunagu.platform.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import jp.tsunagu.platform.crawl.FeedParser.Entry;
import org.junit.jupiter.api.Test;

class FeedParserTest {
  static List<Entry> parse(String xml) throws FeedParser.Malformed {
    return FeedParser.parse(xml.getBytes(StandardCharsets.UTF_8), 100);
  }

  @Test
  void readsSitemapsIndexesRssAndAtom() throws Exception {
    List<Entry> sitemap = parse("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc> https://a.jp/1 </loc>"
        + "<lastmod>2025-11-01</lastmod></url><url><loc>https://a.jp/2</loc></url></urlset>");
    assertEquals(List.of("https://a.jp/1", "https://a.jp/2"), sitemap.stream().map(Entry::url).toList());
    assertEquals(OffsetDateTime.parse("2025-11-01T00:00+09:00"), sitemap.get(0).date());
    assertTrue(parse("<sitemapindex><sitemap><loc>https://a.jp/s.xml</loc></sitemap></sitemapindex>").get(0).sitemap());

    Entry rss = parse("<rss version=\"2.0\"><channel><link>https://a.jp/</link><item><title>お知らせ &amp; 案内</title>"
        + "<link>https://a.jp/n1</link><pubDate>Tue, 04 Nov 2025 09:00:00 +0900</pubDate></item></channel></rss>").get(0);
    assertEquals("https://a.jp/n1", rss.url());
    assertEquals("お知らせ & 案内", rss.title());
    assertEquals(OffsetDateTime.parse("2025-11-04T09:00+09:00"), rss.date());

    Entry atom = parse("<feed xmlns=\"http://www.w3.org/2005/Atom\"><link href=\"https://a.jp/\"/><entry><title>三</title>"
        + "<link rel=\"edit\" href=\"https://a.jp/edit/3\"/><link href=\"https://a.jp/n3\"/><updated>2025-11-05T10:00:00+09:00</updated>"
        + "</entry></feed>").get(0);
    assertEquals("https://a.jp/n3", atom.url());
  }

  @Test
  void refusesWhatIsNotAFeedOrNotWellFormedOrDeclaresEntities() {
    assertThrows(FeedParser.Malformed.class, () -> parse("<html><body>not a feed</body></html>"));
    assertThrows(FeedParser.Malformed.class, () -> parse("<rss><channel><item><link>https://a.jp/x</link></item>"));
    assertThrows(FeedParser.Malformed.class, () -> parse("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<urlset><url><loc>&x;</loc></url></urlset>"));
    assertThrows(FeedParser.Malformed.class, () -> parse(""));
  }

  @Test
  void stopsAtTheEntryLimit() throws Exception {
    StringBuilder xml = new StringBuilder("<urlset>");
    for (int i = 0; i < 500; i++) {
      xml.append("<url><loc>https://a.jp/").append(i).append("</loc></url>");
    }
    assertEquals(100, parse(xml.append("</urlset>").toString()).size());
  }
}

package jp.tsunagu.platform.crawl;

import java.io.ByteArrayInputStream;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the entries of a sitemap (urlset or sitemapindex), an RSS 2.0 / RSS 1.0 feed or an Atom
 * feed with the JDK's StAX parser, DTDs and external entities switched off (no XXE, no entity
 * expansion). A document that is not well-formed XML, or none of these, is refused whole.
 */
final class FeedParser {
  /** One entry: the page's address, and what the feed says of it (each may be null). */
  record Entry(String url, String title, String summary, OffsetDateTime date, boolean sitemap) {}

  /** The document could not be read; the message is the report's reason. */
  static final class Malformed extends Exception {
    Malformed(String reason) {
      super(reason, null, false, false);
    }
  }

  private static final XMLInputFactory FACTORY = factory();

  private FeedParser() {}

  static List<Entry> parse(byte[] xml, int maxEntries) throws Malformed {
    try {
      XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
      try {
        while (r.hasNext() && r.next() != XMLStreamConstants.START_ELEMENT) {
          // skip the prolog
        }
        if (!r.isStartElement()) {
          throw new Malformed("empty document");
        }
        String root = r.getLocalName().toLowerCase(Locale.ROOT);
        String item = switch (root) {
          case "urlset" -> "url";
          case "sitemapindex" -> "sitemap";
          case "rss", "rdf" -> "item";
          case "feed" -> "entry";
          default -> throw new Malformed("not a sitemap, RSS or Atom document (root element " + r.getLocalName() + ")");
        };
        return entries(r, item, root.equals("sitemapindex"), maxEntries);
      } finally {
        r.close();
      }
    } catch (XMLStreamException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNumber();
      throw new Malformed("not well-formed XML" + where);
    }
  }

  private static List<Entry> entries(XMLStreamReader r, String item, boolean nested, int maxEntries)
      throws XMLStreamException {
    List<Entry> out = new ArrayList<>();
    String url = null;
    String title = null;
    String summary = null;
    String date = null;
    boolean inItem = false;
    while (r.hasNext() && out.size() < maxEntries) {
      int event = r.next();
      if (event == XMLStreamConstants.START_ELEMENT) {
        String name = r.getLocalName();
        if (name.equals(item)) {
          inItem = true;
          url = title = summary = date = null;
        } else if (inItem) {
          switch (name) {
            case "loc" -> url = text(r);
            case "link" -> {
              String href = r.getAttributeValue(null, "href");
              String rel = r.getAttributeValue(null, "rel");
              if (href != null) {
                if (url == null && (rel == null || rel.equals("alternate"))) {
                  url = href.strip();
                }
              } else {
                url = text(r);
              }
            }
            case "title" -> title = text(r);
            case "description", "summary" -> summary = text(r);
            case "lastmod", "pubDate", "updated", "published", "date" -> date = date == null ? text(r) : date;
            default -> { }
          }
        }
      } else if (event == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals(item) && inItem) {
        inItem = false;
        if (url != null && !url.isBlank()) {
          out.add(new Entry(url.strip(), blankToNull(title), blankToNull(summary), date(date), nested));
        }
      }
    }
    return out;
  }

  private static String text(XMLStreamReader r) throws XMLStreamException {
    return r.getElementText().strip();
  }

  static OffsetDateTime date(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.strip();
    try {
      return OffsetDateTime.parse(t, DateTimeFormatter.RFC_1123_DATE_TIME);
    } catch (DateTimeParseException notRfc1123) {
      try {
        return OffsetDateTime.parse(t);
      } catch (DateTimeParseException notIso) {
        try {
          return LocalDate.parse(t.length() >= 10 ? t.substring(0, 10) : t).atStartOfDay().atOffset(ZoneOffset.ofHours(9));
        } catch (DateTimeParseException none) {
          return null;
        }
      }
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    return f;
  }
}

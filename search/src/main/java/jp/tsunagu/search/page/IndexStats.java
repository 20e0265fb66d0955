package jp.tsunagu.search.page;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Term statistics of one searcher, looked up once per term: the term queries of a search reuse
 * them instead of looking every term up again when their weights are created, and the query
 * builder uses them to leave out clauses that cannot change the result. One instance serves every
 * search on its searcher ({@link #of}), so a word searched again before the next refresh is not
 * looked up again; the statistics, not results, are kept. Thread-safe.
 */
final class IndexStats {

  /** Beyond this many cached entries the cache starts over (a refresh replaces it anyway). */
  static final int MAX_ENTRIES = 20_000;

  private static final String[][] TWINS = {
      {PageFields.TITLE, PageFields.TITLE_READING},
      {PageFields.SUMMARY, PageFields.SUMMARY_READING},
      {PageFields.BODY, PageFields.BODY_READING}};

  private final IndexSearcher searcher;
  private final Map<Term, TermStates> states = new ConcurrentHashMap<>();
  private final Map<RedundancyKey, Boolean> redundant = new ConcurrentHashMap<>();
  private volatile Boolean matchFields;
  private volatile Boolean rankFields;
  /** False for statistics that never leave anything out of a query (for tests comparing both). */
  private final boolean planning;

  private record RedundancyKey(Analyzer surface, Analyzer reading, String text) {}

  IndexStats(IndexSearcher searcher) {
    this(searcher, true);
  }

  private IndexStats(IndexSearcher searcher, boolean planning) {
    this.searcher = searcher;
    this.planning = planning;
  }

  /**
   * Statistics of the searcher that leave nothing out: every reading clause and the tenant filter
   * stay. A query built with them is the reference a planned one must answer like.
   */
  static IndexStats withoutPlanning(IndexSearcher searcher) {
    return new IndexStats(searcher, false);
  }

  /** The statistics of {@code searcher}: the instance of the last call when it was for the same searcher. */
  static IndexStats of(IndexSearcher searcher, AtomicReference<IndexStats> last) {
    IndexStats current = last.get();
    if (current != null && current.searcher == searcher) {
      return current;
    }
    IndexStats fresh = new IndexStats(searcher);
    last.set(fresh);
    return fresh;
  }

  IndexSearcher searcher() {
    return searcher;
  }

  TermStates states(Term term) {
    TermStates s = states.get(term);
    if (s == null) {
      try {
        s = TermStates.build(searcher, term, true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (states.size() >= MAX_ENTRIES) {
        states.clear();
      }
      states.put(term, s);
    }
    return s;
  }

  /**
   * True when every page of the index has its matching terms in one field per kind: every page
   * carries the matching-only fields ({@link PageFields#FORMAT_MATCH}), or every page carries the
   * combined scoring fields and is marked with one of the two matching layouts (a page written
   * with {@link PageFields#MATCH} has the same terms in {@link PageFields#RANK}). The marker terms
   * are in as many documents as the index has slots (both count deleted ones).
   */
  boolean hasMatchFields() {
    Boolean known = matchFields;
    if (known == null) {
      int maxDoc = searcher.getIndexReader().maxDoc();
      known = everyPageMarked(PageFields.FORMAT_MATCH)
          || hasRankFields() && marked(PageFields.FORMAT_MATCH) + marked(PageFields.FORMAT_MATCH_IN_RANK) == maxDoc;
      matchFields = known;
    }
    return known;
  }

  /**
   * The field a matching query looks a Japanese page's surface terms up in (reading terms with
   * {@code reading}): the combined scoring field where every page has it, else the matching-only
   * field of the earlier layout. Only where {@link #hasMatchFields}.
   */
  String matchField(boolean reading) {
    if (hasRankFields()) {
      return reading ? PageFields.RANK_READING : PageFields.RANK;
    }
    return reading ? PageFields.MATCH_READING : PageFields.MATCH;
  }

  /** True when every page is written as this version writes pages: matched and ranked on the combined fields. */
  boolean writtenAsCurrent() {
    return everyPageMarked(PageFields.FORMAT_MATCH_IN_RANK) && hasRankFields();
  }

  /**
   * True when every page of the index carries the combined scoring fields ({@link PageFields#RANK}),
   * as {@link #hasMatchFields} checks the matching fields.
   */
  boolean hasRankFields() {
    Boolean known = rankFields;
    if (known == null) {
      known = everyPageMarked(PageFields.FORMAT_RANK);
      rankFields = known;
    }
    return known;
  }

  /** Whether the format marker term is in as many documents as the index has slots (both count deleted ones). */
  private boolean everyPageMarked(String marker) {
    int maxDoc = searcher.getIndexReader().maxDoc();
    return maxDoc > 0 && marked(marker) == maxDoc;
  }

  /** The documents (deleted ones included) that carry the format marker. */
  private int marked(String marker) {
    return states(new Term(PageFields.FORMAT, marker)).docFreq();
  }

  /** A term query carrying the statistics already looked up. */
  Query termQuery(Term term) {
    return new TermQuery(term, states(term));
  }

  /** True when every document of the index belongs to one of the tenants, so no tenant filter is needed. */
  boolean allDocumentsIn(java.util.Collection<String> tenants) {
    if (!planning) {
      return false;
    }
    long docs = 0;
    for (String tenant : tenants) {
      docs += states(new Term(PageFields.TENANT, tenant)).docFreq();
    }
    // docFreq counts deleted documents too, like maxDoc: equal means every slot has one of them.
    return docs == searcher.getIndexReader().maxDoc();
  }

  /**
   * True when the reading twin of the text can change neither which pages match nor their order:
   * every surface token of the text has, in each of title, summary and body, exactly as many
   * documents and occurrences as its reading has in the reading twin. The reading twin holds the
   * reading of every surface token at the same position, so the reading postings contain the
   * surface postings; equal counts make them the same postings, the reading clause then matches
   * the same pages with the same score as the surface clause, and the surface clause weighted by
   * 1 + {@link PageQueries#READING_WEIGHT} replaces both. When some page spells the word
   * differently (子供 and こども, ごみ and ゴミ) the counts differ and the reading stays.
   */
  boolean readingIsRedundant(Analyzer surface, Analyzer reading, String text) {
    if (!planning) {
      return false;
    }
    RedundancyKey key = new RedundancyKey(surface, reading, text);
    Boolean known = redundant.get(key);
    if (known == null) {
      known = computeReadingIsRedundant(surface, reading, text);
      if (redundant.size() >= MAX_ENTRIES) {
        redundant.clear();
      }
      redundant.put(key, known);
    }
    return known;
  }

  private boolean computeReadingIsRedundant(Analyzer surface, Analyzer reading, String text) {
    List<String> surfaceTokens = tokens(surface, text);
    List<String> readingTokens = tokens(reading, text);
    if (surfaceTokens.isEmpty() || surfaceTokens.size() != readingTokens.size()) {
      return false;
    }
    for (int i = 0; i < surfaceTokens.size(); i++) {
      for (String[] twin : TWINS) {
        TermStates s = states(new Term(twin[0], surfaceTokens.get(i)));
        TermStates r = states(new Term(twin[1], readingTokens.get(i)));
        if (s.docFreq() != r.docFreq() || s.totalTermFreq() != r.totalTermFreq()) {
          return false;
        }
      }
    }
    return true;
  }

  private static List<String> tokens(Analyzer analyzer, String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(PageFields.BODY, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}

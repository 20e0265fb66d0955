package jp.tsunagu.search.page;

import jp.tsunagu.search.index.FacetedSearcher;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedNumericSortField;
import org.apache.lucene.search.TopDocs;

/**
 * Suggestions as you type: titles whose text or katakana reading, from the start or from any
 * later word, begins with the typed prefix. こそだ, コソダ and 子育 all suggest 子育て支援….
 * Newest pages first; each title once.
 */
final class PageSuggester {

  static final int MAX_PREFIX = 32;
  static final int MAX_SUGGESTIONS = 20;

  private static final Sort NEWEST_FIRST =
      new Sort(new SortedNumericSortField(PageFields.UPDATED, SortField.Type.LONG, true));

  List<String> suggest(FacetedSearcher searcher, Set<String> tenants, String typed, int count) throws IOException {
    String prefix = PageDocuments.normalizeForSuggest(typed == null ? "" : typed);
    if (prefix.isEmpty() || prefix.length() > MAX_PREFIX) {
      return List.of();
    }
    int wanted = Math.max(1, Math.min(count, MAX_SUGGESTIONS));
    BooleanQuery query = new BooleanQuery.Builder()
        .add(new PrefixQuery(new Term(PageFields.SUGGEST, prefix)), Occur.MUST)
        .add(PageQueries.tenantFilter(tenants), Occur.FILTER)
        .build();
    TopDocs top = searcher.search(query, wanted * 4, NEWEST_FIRST);
    Set<String> titles = new LinkedHashSet<>();
    StoredFields stored = searcher.storedFields();
    for (ScoreDoc sd : top.scoreDocs) {
      var doc = stored.document(sd.doc, Set.of(PageFields.TITLE, PageFields.TITLE_EN));
      String title = doc.get(PageFields.TITLE) != null ? doc.get(PageFields.TITLE) : doc.get(PageFields.TITLE_EN);
      if (title != null && !title.isBlank()) {
        titles.add(title);
      }
      if (titles.size() == wanted) {
        break;
      }
    }
    return new ArrayList<>(titles);
  }
}

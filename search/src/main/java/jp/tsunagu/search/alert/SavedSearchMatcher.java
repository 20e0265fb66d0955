package jp.tsunagu.search.alert;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.tsunagu.search.InvalidSearchRequestException;
import jp.tsunagu.search.InvalidSearchRequestException.Reason;
import jp.tsunagu.search.SearchException;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.page.Page;
import jp.tsunagu.search.page.PageDocuments;
import jp.tsunagu.search.page.PageFacet;
import jp.tsunagu.search.page.PageQueries;
import jp.tsunagu.search.page.PageQuery;
import jp.tsunagu.search.page.UserQuery;
import org.apache.lucene.monitor.MatchingQueries;
import org.apache.lucene.monitor.Monitor;
import org.apache.lucene.monitor.MonitorQuery;
import org.apache.lucene.monitor.QueryMatch;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;

/**
 * Matches a newly published page against every registered saved search (Lucene Monitor, held in
 * memory). The queries are built exactly as page searches build them, so a saved search matches
 * the pages the same search would find. The platform registers every subscription from
 * PostgreSQL at start-up and on every change. Thread-safe.
 */
public final class SavedSearchMatcher implements AutoCloseable {

  private final PageDocuments documents;
  private final PageQueries queries;
  private final Monitor monitor;

  public SavedSearchMatcher(AnalysisRegistry analysis) {
    this.documents = new PageDocuments(analysis);
    this.queries = new PageQueries(analysis);
    try {
      this.monitor = new Monitor(analysis.english());
    } catch (IOException e) {
      throw new SearchException("cannot start the saved-search matcher", e);
    }
  }

  /**
   * Registers (or replaces) a saved search.
   *
   * @throws InvalidSearchRequestException for a syntax error, an unknown facet or a "published"
   *     filter (relative dates make no sense for future pages)
   */
  public void register(SavedSearch search) {
    UserQuery text = UserQuery.parse(search.text());
    BooleanQuery.Builder query = new BooleanQuery.Builder()
        .add(queries.textForTenants(text, Set.of(search.tenant())), Occur.MUST);
    PageQuery.Builder validation = PageQuery.builder(search.tenant());
    search.filters().forEach((name, values) -> validation.filter(name, values.toArray(String[]::new)));
    PageQuery checked = validation.build();
    for (Map.Entry<PageFacet, List<String>> filter : checked.filters().entrySet()) {
      if (filter.getKey() == PageFacet.PUBLISHED) {
        throw new InvalidSearchRequestException(Reason.BAD_ARGUMENT, "a saved search cannot filter on 'published'");
      }
      query.add(PageQueries.filter(filter.getKey(), filter.getValue(), checked), Occur.FILTER);
    }
    Query built = query.build();
    try {
      monitor.register(new MonitorQuery(search.id(), built, search.text(), Map.of("tenant", search.tenant())));
    } catch (IOException e) {
      throw new SearchException("cannot register saved search " + search.id(), e);
    }
  }

  /** Removes a saved search; removing an unknown id succeeds. */
  public void unregister(String id) {
    try {
      monitor.deleteById(id);
    } catch (IOException e) {
      throw new SearchException("cannot unregister saved search " + id, e);
    }
  }

  /** Ids of the saved searches the page matches; none for a withdrawn page. */
  public List<String> match(Page page) {
    if (page.withdrawn()) {
      return List.of();
    }
    try {
      MatchingQueries<QueryMatch> matches = monitor.match(documents.toDocument(page), QueryMatch.SIMPLE_MATCHER);
      List<String> ids = new ArrayList<>();
      for (QueryMatch m : matches.getMatches()) {
        ids.add(m.getQueryId());
      }
      ids.sort(null);
      return ids;
    } catch (IOException e) {
      throw new SearchException("matching page " + page.id() + " failed", e);
    }
  }

  /** Registered saved searches. */
  public int size() {
    try {
      return monitor.getQueryCount();
    } catch (IOException e) {
      throw new SearchException("cannot count saved searches", e);
    }
  }

  @Override
  public void close() throws IOException {
    monitor.close();
  }
}

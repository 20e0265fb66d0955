package jp.tsunagu.search.page;

import jp.tsunagu.search.index.FacetedSearcher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import jp.tsunagu.search.InvalidSearchRequestException;
import jp.tsunagu.search.TenantCode;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.index.GenerationalIndex;
import jp.tsunagu.search.index.RebuildProgress;
import jp.tsunagu.search.index.WriteToken;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;

/**
 * The page index of every tenant: the one owner of its Lucene writer, searcher manager and reopen
 * thread (through {@link GenerationalIndex}). Thread-safe: call it from any worker threads; writes
 * and searches may run on separate executors.
 *
 * <p>Writes are visible to searches within a quarter of a second (plus the refresh itself), or as soon as {@link
 * #awaitSearchable} returns. {@link #commit} makes them durable together with the platform's
 * change checkpoint, which {@link #committedSequence} returns after a restart, clean or not.
 */
public final class PageIndex implements AutoCloseable {

  private final AnalysisRegistry analysis;
  private final PageDocuments documents;
  private final BestBets bestBets = new BestBets();
  private final PageSearch search;
  private final PageSuggester suggester = new PageSuggester();
  private final GenerationalIndex<FacetedSearcher> index;

  private PageIndex(Path root, AnalysisRegistry analysis) {
    this.analysis = analysis;
    this.documents = new PageDocuments(analysis);
    this.search = new PageSearch(analysis, bestBets);
    this.index = new GenerationalIndex<>(root, analysis.english(), FacetedSearcher.factory(null));
  }

  /**
   * Opens the index under {@code root}, creating it if absent. After an unclean stop the index
   * opens at its last commit; replay changes after {@link #committedSequence()}.
   *
   * @param analysis tenant analysis, shared with other indexes; closed by its owner, not here
   */
  public static PageIndex open(Path root, AnalysisRegistry analysis) {
    return new PageIndex(root, analysis);
  }

  /** Adds or replaces the page; a withdrawn page is deleted instead. */
  public WriteToken upsert(Page page) {
    if (page.withdrawn()) {
      return delete(page.tenant(), page.id());
    }
    return index.update(PageDocuments.key(page.tenant(), page.id()), () -> documents.toDocument(page));
  }

  /** Removes the page; removing an absent page succeeds. */
  public WriteToken delete(String tenant, String id) {
    TenantCode.require(tenant);
    return index.delete(PageDocuments.key(tenant, id));
  }

  /**
   * Makes the write behind the token (and every write before it) searchable at the next turn of
   * the reopen thread instead of its next periodic reopen; returns at once.
   */
  public void requestSearchable(WriteToken token) {
    index.requestSearchable(token);
  }

  /**
   * Blocks until the write behind the token is searchable.
   *
   * @return false if {@code timeout} passed first
   */
  public boolean awaitSearchable(WriteToken token, Duration timeout) throws InterruptedException {
    return index.awaitSearchable(token, timeout);
  }

  /**
   * Runs a search.
   *
   * @throws InvalidSearchRequestException when synonyms expand the query beyond Lucene's clause
   *     limit; everything else is validated when the query is built ({@link PageQuery.Builder#build()})
   * @throws jp.tsunagu.search.SearchException when the index cannot be read
   */
  public PageResults search(PageQuery query) {
    try {
      return index.search(searcher -> search.run(searcher, query));
    } catch (IndexSearcher.TooManyClauses e) {
      throw new InvalidSearchRequestException(InvalidSearchRequestException.Reason.QUERY_TOO_LONG,
          "the query expands to too many terms; use fewer words");
    }
  }

  /** Titles to suggest while the citizen types {@code prefix}, newest first. */
  public List<String> suggest(Set<String> tenants, String prefix, int count) {
    tenants.forEach(TenantCode::require);
    return index.search(searcher -> suggester.suggest(searcher, tenants, prefix, count));
  }

  /** The best bets of every tenant; replace a tenant's set whenever staff edit it. */
  public BestBets bestBets() {
    return bestBets;
  }

  /** Commits every write so far with the platform's change checkpoint. */
  public void commit(long sequence) {
    index.commit(sequence);
  }

  /** The checkpoint of the last commit, -1 if none: replay changes after it. */
  public long committedSequence() {
    return index.committedSequence();
  }

  /**
   * Rebuilds the whole index from {@code pages} into a new generation while searches keep
   * answering from the current one, then swaps atomically. Blocks until done; run it on a worker.
   *
   * @param sequence the change checkpoint the stream is consistent with
   * @param progress observable from other threads
   */
  public void rebuild(Stream<Page> pages, long sequence, RebuildProgress progress) {
    rebuild(pages, sequence, progress, 1);
  }

  /**
   * As {@link #rebuild(Stream, long, RebuildProgress)}, with pages analysed and written by
   * {@code threads} threads (analysis is most of the cost of indexing). More threads than cores
   * gain nothing, and every thread used is taken from searches running meanwhile.
   */
  public void rebuild(Stream<Page> pages, long sequence, RebuildProgress progress, int threads) {
    index.rebuild(pages.filter(p -> !p.withdrawn()).map(p -> new GenerationalIndex.Rebuilt(
        PageDocuments.key(p.tenant(), p.id()), () -> documents.toDocument(p))), sequence, progress, threads);
  }

  /** The live generation number; grows by one with every rebuild. */
  public long generation() {
    return index.generation();
  }

  /** True when the page is searchable now. */
  public boolean contains(String tenant, String id) {
    TenantCode.require(tenant);
    Term key = PageDocuments.key(tenant, id);
    return index.search(searcher -> searcher.count(new TermQuery(key)) > 0);
  }

  /**
   * True when every page here was written as this version writes pages (matched and ranked on the
   * combined scoring fields) or the index is empty. An index written by an earlier version answers
   * correctly but through the slower per-field model until a rebuild rewrites it.
   */
  public boolean writtenAsCurrent() {
    return index.search(searcher -> {
      IndexStats stats = new IndexStats(searcher);
      return searcher.getIndexReader().maxDoc() == 0 || stats.writtenAsCurrent();
    });
  }

  /** Pages in the index (searchable now). */
  public long count() {
    return index.search(searcher -> (long) searcher.getIndexReader().numDocs());
  }

  AnalysisRegistry analysis() {
    return analysis;
  }

  /**
   * Closes the reopen thread, the searcher manager, the writer (committing with the last
   * checkpoint) and the directory, in that order, after running searches finish.
   */
  @Override
  public void close() throws IOException {
    index.close();
  }
}

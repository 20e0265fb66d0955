package jp.tsunagu.search.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.ControlledRealTimeReopenThread;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.NRTCachingDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * One Lucene index directory and the only owner of its {@link IndexWriter}, {@link
 * SearcherManager} and {@link ControlledRealTimeReopenThread}.
 *
 * <p>Close order: reopen thread, searcher manager, writer (which commits), directory. The
 * generation is reference counted so that a generation retired by a rebuild closes only after
 * the last search or write that acquired it has released it.
 */
final class IndexGeneration<S extends IndexSearcher> implements Closeable {

  static final String SEQUENCE_KEY = "tsunagu.sequence";
  static final double MAX_STALE_SEC = 0.25;
  static final double MIN_STALE_SEC = 0.005;
  /**
   * Segments flushed by a reopen (a few pages each, many times a second under load) stay in memory
   * up to this size each and this much in all until a commit writes them out (or a merge takes
   * them in): a reopen then writes and maps no files. What a crash loses of them is what was not
   * committed anyway, replayed from PostgreSQL.
   */
  static final double NRT_CACHED_SEGMENT_MB = 4;
  static final double NRT_CACHE_MB = 32;

  private final long number;
  private final Path path;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager manager;
  private final ControlledRealTimeReopenThread<IndexSearcher> reopen;
  private final AtomicInteger references = new AtomicInteger(1);
  private volatile long committedSequence;

  private IndexGeneration(long number, Path path, Directory directory, IndexWriter writer, SearcherManager manager,
      long committedSequence, boolean reopening, double maxStaleSec) {
    this.number = number;
    this.path = path;
    this.directory = directory;
    this.writer = writer;
    this.manager = manager;
    this.committedSequence = committedSequence;
    this.reopen = new ControlledRealTimeReopenThread<>(writer, manager, maxStaleSec, MIN_STALE_SEC);
    this.reopen.setName("tsunagu-search-reopen-" + path.getFileName());
    this.reopen.setDaemon(true);
    if (reopening) {
      this.reopen.start();
    }
  }

  /**
   * Starts the reopen thread of a generation opened without it (one being rebuilt, which nobody
   * searches until it is swapped in: refreshing it would only flush small segments to merge).
   */
  void startReopening() {
    if (!reopen.isAlive()) {
      reopen.start();
    }
  }

  /**
   * Opens (or creates) the index in {@code path}; an index left by an unclean stop opens at its last commit.
   *
   * @param reopening false for a generation being rebuilt: no reopen thread until {@link #startReopening}
   * @param maxStaleSec the longest time between two reopens when nobody asks for one sooner
   */
  static <S extends IndexSearcher> IndexGeneration<S> open(long number, Path path, Analyzer analyzer,
      SearcherFactory searchers, boolean reopening, double maxStaleSec) throws IOException {
    Directory directory = new NRTCachingDirectory(FSDirectory.open(path), NRT_CACHED_SEGMENT_MB, NRT_CACHE_MB);
    IndexWriter writer = null;
    try {
      long committed = -1;
      if (DirectoryReader.indexExists(directory)) {
        String value = SegmentInfos.readLatestCommit(directory).getUserData().get(SEQUENCE_KEY);
        committed = value == null ? -1 : Long.parseLong(value);
      }
      IndexWriterConfig config = new IndexWriterConfig(analyzer)
          .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
          .setRAMBufferSizeMB(64)
          // Flushed segments as separate files: a compound file would copy every flushed file
          // once more, and most small segments are merged away soon anyway.
          .setUseCompoundFile(false)
          .setCommitOnClose(true);
      writer = new IndexWriter(directory, config);
      if (committed >= 0) {
        writer.setLiveCommitData(Map.of(SEQUENCE_KEY, Long.toString(committed)).entrySet());
      }
      SearcherManager manager = new SearcherManager(writer, true, false, searchers);
      return new IndexGeneration<>(number, path, directory, writer, manager, committed, reopening, maxStaleSec);
    } catch (IOException | RuntimeException e) {
      IOUtils.closeWhileHandlingException(writer, directory);
      throw e;
    }
  }

  long number() {
    return number;
  }

  Path path() {
    return path;
  }

  long update(Term id, Iterable<? extends IndexableField> document) throws IOException {
    return writer.updateDocument(id, document);
  }

  /** Atomically deletes every document matching {@code scope} and adds {@code documents}. */
  long replaceAll(Term scope, java.util.List<? extends Iterable<? extends IndexableField>> documents) throws IOException {
    return writer.updateDocuments(scope, documents);
  }

  /**
   * Writes the calling thread's share of the buffered documents to a segment now (the largest
   * buffer nobody is writing to), so that threads that finished writing flush in parallel rather
   * than one after the other at the next commit or merge.
   */
  void flushOwnBuffer() throws IOException {
    writer.flushNextBuffer();
  }

  /** Merges the generation down to at most {@code maxSegments} segments, waiting for the merges. */
  void mergeDown(int maxSegments) throws IOException {
    writer.forceMerge(maxSegments);
  }

  long delete(Term id) throws IOException {
    return writer.deleteDocuments(id);
  }

  long deleteAll() throws IOException {
    return writer.deleteAll();
  }

  /** Waits until the write with this sequence number is searchable; false on timeout. */
  boolean awaitSearchable(long sequence, long timeoutMillis) throws InterruptedException {
    return reopen.waitForGeneration(sequence, (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutMillis)));
  }

  /**
   * Asks the reopen thread to make the write with this sequence searchable at its next turn (at
   * most {@link #MIN_STALE_SEC} after the start of the reopen before), without waiting for it.
   * {@link ControlledRealTimeReopenThread#waitForGeneration} with no time to wait registers the
   * generation as waited for and wakes the thread, and returns at once.
   */
  void requestSearchable(long sequence) {
    try {
      reopen.waitForGeneration(sequence, 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Makes every write so far searchable now. */
  void refresh() throws IOException {
    manager.maybeRefreshBlocking();
  }

  @SuppressWarnings("unchecked")
  <T> T search(SearcherFunction<S, T> work) throws IOException {
    IndexSearcher searcher = manager.acquire();
    try {
      return work.apply((S) searcher);
    } finally {
      manager.release(searcher);
    }
  }

  /**
   * Commits every write so far with the platform's checkpoint in the commit user data. The
   * checkpoint never goes backwards.
   */
  synchronized void commit(long sequence) throws IOException {
    long kept = Math.max(sequence, committedSequence);
    writer.setLiveCommitData(Map.of(SEQUENCE_KEY, Long.toString(kept)).entrySet());
    writer.commit();
    committedSequence = kept;
  }

  long committedSequence() {
    return committedSequence;
  }

  long documentCount() throws IOException {
    return writer.getDocStats().numDocs;
  }

  boolean tryAcquire() {
    int n;
    do {
      n = references.get();
      if (n <= 0) {
        return false;
      }
    } while (!references.compareAndSet(n, n + 1));
    return true;
  }

  void release() throws IOException {
    if (references.decrementAndGet() == 0) {
      closeNow();
    }
  }

  /** Drops the owner's reference; the generation closes once no one holds it. */
  @Override
  public void close() throws IOException {
    release();
  }

  /** Discards uncommitted writes and closes, for a rebuild that did not finish. */
  void abandon() throws IOException {
    references.set(0);
    IOUtils.close(reopen, manager, writer::rollback, directory);
  }

  private void closeNow() throws IOException {
    IOUtils.close(reopen, manager, writer, directory);
  }
}

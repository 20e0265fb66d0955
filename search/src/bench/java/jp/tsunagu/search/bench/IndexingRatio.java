package jp.tsunagu.search.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.analysis.Readings;
import jp.tsunagu.search.index.RebuildProgress;
import jp.tsunagu.search.index.WriteToken;
import jp.tsunagu.search.page.Page;
import jp.tsunagu.search.page.PageIndex;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ja.tokenattributes.ReadingAttribute;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * Indexing throughput against Kuromoji analysis alone, at equal thread counts, in one JVM with
 * the shots interleaved (analysis, indexing, analysis, …) so that both see the same load of a
 * shared machine. Analysis alone runs the index-time chain over title, summary and body of every
 * page, as indexing does, on {@code threads} threads; indexing either upserts every page into a
 * fresh on-disk index from one thread and commits (the live path), or rebuilds a fresh index from
 * the pages on {@code threads} threads (the bulk path). Wall time and the CPU time of the whole
 * process (merges, flushes, GC included) are both reported.
 */
final class IndexingRatio {

  record Shot(double seconds, double cpuSeconds) {}

  record Figures(int pages, int threads, int shots, Shot analysis, Shot indexing) {
    double analysisPagesPerSecond() {
      return pages / analysis.seconds();
    }

    double indexingPagesPerSecond() {
      return pages / indexing.seconds();
    }

    double wallRatio() {
      return analysis.seconds() / indexing.seconds();
    }

    double cpuRatio() {
      return analysis.cpuSeconds() / indexing.cpuSeconds();
    }
  }

  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private IndexingRatio() {}

  /** Changes the platform's indexer applies per batch ({@code ContentIndexer.BATCH}). */
  static final int LIVE_BATCH = 500;

  /**
   * Pairs of shots run first and not counted: indexing runs much more code than analysis (the
   * writer, codecs, merges), which the JIT compiler is still compiling during the first shots.
   * After two pairs the C2 compiler threads still took about 0.5 s of CPU per 2,000-page `upsert`
   * shot (13 % of the shot's process CPU time); a load of 100,000 pages runs for a minute or more,
   * where that is paid once.
   */
  static final int WARMUP_PAIRS = 4;

  /** Medians over {@code shots} interleaved pairs, after {@link #WARMUP_PAIRS} warm-up pairs. */
  static Figures measure(List<Page> pages, int threads, boolean bulk, int shots) throws Exception {
    List<Shot> analysis = new ArrayList<>();
    List<Shot> indexing = new ArrayList<>();
    Path root = Files.createTempDirectory("tsunagu-bench-index");
    try (AnalysisRegistry registry = new AnalysisRegistry()) {
      Analyzer analyzer = registry.forTenant(pages.getFirst().tenant()).indexSurface();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        for (int i = 0; i < WARMUP_PAIRS + shots; i++) {
          Shot a = time(() -> analyze(pool, analyzer, pages, threads));
          Shot x = time(() -> index(root, registry, pages, threads, bulk));
          System.out.printf(java.util.Locale.ROOT, "indexing shot %d of %d (%d threads, %s): analysis %.1f s (cpu %.1f s),"
              + " indexing %.1f s (cpu %.1f s)%n", i + 1, WARMUP_PAIRS + shots, threads, bulk ? "rebuild" : "upsert", a.seconds(),
              a.cpuSeconds(), x.seconds(), x.cpuSeconds());
          if (i >= WARMUP_PAIRS) {
            analysis.add(a);
            indexing.add(x);
          }
        }
      } finally {
        pool.shutdown();
      }
    } finally {
      deleteTree(root);
    }
    return new Figures(pages.size(), threads, shots, median(analysis), median(indexing));
  }

  private static void analyze(ExecutorService pool, Analyzer analyzer, List<Page> pages, int threads) throws Exception {
    List<Future<Long>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int from = pages.size() * t / threads;
      int to = pages.size() * (t + 1) / threads;
      parts.add(pool.submit(() -> {
        long tokens = 0;
        for (Page p : pages.subList(from, to)) {
          tokens += analyzeAlone(analyzer, "title", p.title());
          tokens += analyzeAlone(analyzer, "summary", p.summary());
          tokens += analyzeAlone(analyzer, "body", p.body());
        }
        return tokens;
      }));
    }
    for (Future<Long> part : parts) {
      part.get();
    }
  }

  /**
   * What analysis alone is: the index-time chain over the text, and for every token what the
   * index needs of it — its term, offsets, position and katakana reading ({@link Readings#of}, as
   * the reading chain computes it) — read and dropped. Keeping the tokens for the fields (what
   * {@code AnalyzedText} does) is indexing work and counts there.
   */
  static long analyzeAlone(Analyzer analyzer, String field, String text) throws IOException {
    long seen = 0;
    try (TokenStream ts = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ReadingAttribute reading = ts.addAttribute(ReadingAttribute.class);
      OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
      PositionIncrementAttribute increment = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        seen += term.length() + offset.endOffset() - offset.startOffset() + increment.getPositionIncrement()
            + Readings.of(term, reading.getReading()).length();
      }
      ts.end();
    }
    return seen;
  }

  static void index(Path root, AnalysisRegistry registry, List<Page> pages, int threads, boolean bulk)
      throws IOException {
    Path dir = Files.createTempDirectory(root, "run");
    try (PageIndex index = PageIndex.open(dir, registry)) {
      if (bulk) {
        index.rebuild(pages.stream(), 1, new RebuildProgress(pages.size()), threads);
      } else {
        // As the platform's indexer writes: batches of changes, each made searchable at the
        // reopen thread's next turn without waiting, and a commit (on its own thread there) at
        // most every 10 s — here once at the end, since a shot takes a few seconds.
        WriteToken last = null;
        for (int i = 0; i < pages.size(); i++) {
          last = index.upsert(pages.get(i));
          if ((i + 1) % LIVE_BATCH == 0) {
            index.requestSearchable(last);
          }
        }
        index.requestSearchable(last);
        index.commit(1);
      }
    } finally {
      deleteTree(dir);
    }
  }

  @FunctionalInterface
  private interface Work {
    void run() throws Exception;
  }

  private static Shot time(Work work) throws Exception {
    System.gc();
    long cpu = OS.getProcessCpuTime();
    long t0 = System.nanoTime();
    work.run();
    return new Shot((System.nanoTime() - t0) / 1e9, (OS.getProcessCpuTime() - cpu) / 1e9);
  }

  private static Shot median(List<Shot> shots) {
    List<Double> wall = shots.stream().map(Shot::seconds).sorted().toList();
    List<Double> cpu = shots.stream().map(Shot::cpuSeconds).sorted().toList();
    return new Shot(wall.get(wall.size() / 2), cpu.get(cpu.size() / 2));
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

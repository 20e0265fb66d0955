package jp.tsunagu.search.bench;

import java.nio.file.Path;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.page.PageIndex;

/**
 * Full page searches (3 facets, highlights, 10 hits) on one thread for a given time, after
 * warm-up rounds, on a prepared index: the load to run under a profiler (JFR, perf).
 *
 * <p>Arguments: index directory, seconds, optional kind (0 full, 1 without highlights, 2 text only).
 */
public final class QueryLoop {
  private QueryLoop() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long seconds = Long.parseLong(args[1]);
    int kind = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    try (AnalysisRegistry analysis = new AnalysisRegistry(); PageIndex index = PageIndex.open(dir, analysis)) {
      for (int i = 0; i < 30; i++) {
        QueryCpu.round(index, kind);
      }
      System.out.println("warm; measuring");
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      long rounds = 0;
      while (System.nanoTime() < end) {
        QueryCpu.round(index, kind);
        rounds++;
      }
      System.out.printf("%d rounds, %.3f ms per search (wall); load %s%n", rounds,
          seconds * 1e3 / rounds / BenchCorpus.QUERIES.size(), SearchBenchmarks.loadAverage());
    }
  }
}

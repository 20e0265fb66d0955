package jp.tsunagu.search.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.index.RebuildProgress;
import jp.tsunagu.search.page.Page;
import jp.tsunagu.search.page.PageIndex;

/**
 * The single-thread CPU time of page searches on a prepared index, for profiling (run it under
 * JFR): builds the benchmark corpus into the directory first if it holds no index.
 *
 * <p>Arguments: number of pages, index directory, rounds.
 */
public final class QueryProfile {
  private QueryProfile() {}

  public static void main(String[] args) throws Exception {
    int pages = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]);
    int rounds = Integer.parseInt(args[2]);
    if (!Files.isDirectory(dir)) {
      List<Page> corpus = BenchCorpus.pages(pages);
      try (AnalysisRegistry analysis = new AnalysisRegistry(); PageIndex index = PageIndex.open(dir, analysis)) {
        long t0 = System.nanoTime();
        index.rebuild(corpus.stream(), corpus.size(), new RebuildProgress(corpus.size()), Runtime.getRuntime().availableProcessors());
        System.out.printf("built %d pages in %.1f s%n", pages, (System.nanoTime() - t0) / 1e9);
      }
    }
    QueryCpu.Figures cpu = QueryCpu.measure(dir, 20, rounds);
    System.out.printf("CPU per search: full %.2f ms, without highlights %.2f ms, text only %.2f ms (median of %d rounds); load %s%n",
        cpu.fullMs(), cpu.withoutHighlightsMs(), cpu.textOnlyMs(), cpu.rounds(), SearchBenchmarks.loadAverage());
  }
}

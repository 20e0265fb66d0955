package jp.tsunagu.search.bench;

import java.util.List;
import jp.tsunagu.search.page.Page;

/**
 * The indexing shots of the search benchmark alone (live path on 1 thread, bulk path on every
 * core), for comparing two versions of the page documents on the same machine.
 *
 * <p>Argument: number of pages per shot (default 2,000).
 */
public final class IndexingAlone {
  private IndexingAlone() {}

  public static void main(String[] args) throws Exception {
    int pages = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    List<Page> sample = BenchCorpus.pages(pages);
    int cores = Runtime.getRuntime().availableProcessors();
    for (IndexingRatio.Figures f : List.of(IndexingRatio.measure(sample, 1, false, SearchBenchmarks.INDEXING_SHOTS),
        IndexingRatio.measure(sample, cores, true, SearchBenchmarks.INDEXING_SHOTS))) {
      System.out.printf("%d thread(s) %s: analysis %.0f pages/s, indexing %.0f pages/s, wall %.0f %%, CPU %.0f %%%n",
          f.threads(), f.threads() == 1 ? "upsert" : "rebuild", f.analysisPagesPerSecond(), f.indexingPagesPerSecond(),
          100 * f.wallRatio(), 100 * f.cpuRatio());
    }
    System.out.println("load " + SearchBenchmarks.loadAverage());
  }
}

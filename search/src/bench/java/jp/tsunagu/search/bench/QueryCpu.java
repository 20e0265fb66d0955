package jp.tsunagu.search.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.corpus.MunicipalCorpus;
import jp.tsunagu.search.page.PageIndex;
import jp.tsunagu.search.page.PageQuery;

/**
 * CPU time of one page search on one thread: the steady figure on a shared machine, where wall
 * times under concurrency depend on what else runs. Each round runs every benchmark query once;
 * the figure is the median round after warm-up rounds.
 */
final class QueryCpu {

  record Figures(double fullMs, double withoutHighlightsMs, double textOnlyMs, int rounds) {}

  private QueryCpu() {}

  static Figures measure(Path luceneDir, int warmup, int rounds) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (AnalysisRegistry analysis = new AnalysisRegistry(); PageIndex index = PageIndex.open(luceneDir, analysis)) {
      double[] ms = new double[3];
      for (int kind = 0; kind < 3; kind++) {
        for (int i = 0; i < warmup; i++) {
          round(index, kind);
        }
        List<Double> perQuery = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
          long cpu = threads.getCurrentThreadCpuTime();
          round(index, kind);
          perQuery.add((threads.getCurrentThreadCpuTime() - cpu) / 1e6 / BenchCorpus.QUERIES.size());
        }
        ms[kind] = perQuery.stream().sorted().toList().get(rounds / 2);
      }
      return new Figures(ms[0], ms[1], ms[2], rounds);
    }
  }

  /** kind 0: as the benchmark (3 facets, highlights, 10 hits); 1: without highlights; 2: neither. */
  private static void round(PageIndex index, int kind) {
    for (String q : BenchCorpus.QUERIES) {
      PageQuery.Builder b = PageQuery.builder(MunicipalCorpus.TENANT).text(q).page(0, 10).highlight(kind == 0)
          .now(MunicipalCorpus.EPOCH);
      if (kind < 2) {
        b.facets("category", "department", "published");
      }
      index.search(b.build());
    }
  }
}

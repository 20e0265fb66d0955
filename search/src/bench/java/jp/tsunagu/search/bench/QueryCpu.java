package jp.tsunagu.search.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.corpus.MunicipalCorpus;
import jp.tsunagu.search.page.PageIndex;
import jp.tsunagu.search.page.PageQuery;

/**
 * CPU time of one page search on one thread: the steady figure on a shared machine, where wall
 * times under concurrency depend on what else runs. Each round runs every benchmark query once
 * for each of the three kinds (full search, without highlights, text only), the kinds in a
 * rotating order so that none is always measured first or while the JIT compiler is still busy;
 * the figure of a kind is its median round after the warm-up rounds.
 *
 * <p>As a program, measures a prepared index (arguments: its directory, optional rounds and
 * warm-up rounds), e.g. one {@link QueryProfile} built, so that two versions of the search can be
 * compared on the same index without building it again.
 */
public final class QueryCpu {

  static final int KINDS = 3;

  record Figures(double fullMs, double withoutHighlightsMs, double textOnlyMs, int rounds) {}

  private QueryCpu() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    Figures cpu = measure(dir, warmup, rounds);
    System.out.printf("CPU per search: full %.2f ms, without highlights %.2f ms, text only %.2f ms (median of %d rounds after %d); load %s%n",
        cpu.fullMs(), cpu.withoutHighlightsMs(), cpu.textOnlyMs(), cpu.rounds(), warmup, SearchBenchmarks.loadAverage());
  }

  static Figures measure(Path luceneDir, int warmup, int rounds) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (AnalysisRegistry analysis = new AnalysisRegistry(); PageIndex index = PageIndex.open(luceneDir, analysis)) {
      double[][] perQuery = new double[KINDS][rounds];
      for (int r = -warmup; r < rounds; r++) {
        for (int k = 0; k < KINDS; k++) {
          int kind = Math.floorMod(r + k, KINDS);
          long cpu = threads.getCurrentThreadCpuTime();
          round(index, kind);
          if (r >= 0) {
            perQuery[kind][r] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / BenchCorpus.QUERIES.size();
          }
        }
      }
      double[] ms = new double[KINDS];
      for (int kind = 0; kind < KINDS; kind++) {
        Arrays.sort(perQuery[kind]);
        ms[kind] = perQuery[kind][rounds / 2];
      }
      return new Figures(ms[0], ms[1], ms[2], rounds);
    }
  }

  /** kind 0: as the benchmark (3 facets, highlights, 10 hits); 1: without highlights; 2: neither. */
  static void round(PageIndex index, int kind) {
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

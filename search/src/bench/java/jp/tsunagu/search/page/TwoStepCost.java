package jp.tsunagu.search.page;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.corpus.MunicipalCorpus;
import jp.tsunagu.search.index.FacetedSearcher;
import jp.tsunagu.search.index.GenerationalIndex;

/**
 * The single-thread CPU time of a full page search (3 facets, highlights, 10 hits), one pass
 * scoring every match against the two steps (matching fields, then the candidates), alternating,
 * on a prepared index (argument: its directory; optional: rounds). Also checks that both give the
 * same hits, scores, totals and facet counts.
 */
public final class TwoStepCost {

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (AnalysisRegistry analysis = new AnalysisRegistry(); PageIndex index = PageIndex.open(Path.of(args[0]), analysis)) {
      java.lang.reflect.Field f = PageIndex.class.getDeclaredField("index");
      f.setAccessible(true);
      @SuppressWarnings("unchecked")
      GenerationalIndex<FacetedSearcher> gi = (GenerationalIndex<FacetedSearcher>) f.get(index);
      PageSearch search = new PageSearch(analysis, new BestBets());
      int differences = 0;
      for (String text : QueryPassCost.QUERIES) {
        for (int window : new int[] {10, 50}) {
          PageQuery request = request(text, window - 10, true);
          PageResults one = gi.search(s -> search.run(s, request, false));
          PageResults two = gi.search(s -> search.run(s, request, true));
          String a = describe(one);
          String b = describe(two);
          if (!a.equals(b)) {
            differences++;
            System.out.println("DIFFERENT " + text + " @" + window + "\n  one pass  " + a + "\n  two steps " + b);
          }
        }
      }
      System.out.printf("results compared: %d differences%n", differences);
      for (boolean highlight : new boolean[] {true, false}) {
        double[][] ms = new double[2][rounds];
        for (int r = -10; r < rounds; r++) {
          for (int mode = 0; mode < 2; mode++) {
            boolean twoSteps = mode == 1;
            long cpu = threads.getCurrentThreadCpuTime();
            for (String text : QueryPassCost.QUERIES) {
              PageQuery request = request(text, 0, highlight);
              gi.search(s -> search.run(s, request, twoSteps));
            }
            if (r >= 0) {
              ms[mode][r] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / QueryPassCost.QUERIES.size();
            }
          }
        }
        Arrays.sort(ms[0]);
        Arrays.sort(ms[1]);
        System.out.printf("%s: one pass %.2f ms, two steps %.2f ms (median of %d rounds; min %.2f / %.2f)%n",
            highlight ? "full search" : "without highlights", ms[0][rounds / 2], ms[1][rounds / 2], rounds,
            ms[0][0], ms[1][0]);
      }
      System.out.printf("load %s%n", jp.tsunagu.search.bench.SearchBenchmarks.loadAverage());
    }
  }

  static PageQuery request(String text, int offset, boolean highlight) {
    return PageQuery.builder(MunicipalCorpus.TENANT).text(text).page(offset, 10).highlight(highlight)
        .facets("category", "department", "published").now(MunicipalCorpus.EPOCH).build();
  }

  static String describe(PageResults r) {
    StringBuilder s = new StringBuilder("total=" + r.total() + " facets=" + r.facets() + " hits=");
    for (PageHit h : r.hits()) {
      s.append(h.id()).append(String.format(":%.4f ", h.score()));
    }
    return s.toString();
  }
}

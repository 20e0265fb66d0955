package jp.tsunagu.search.page;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Set;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.index.FacetedSearcher;
import jp.tsunagu.search.index.GenerationalIndex;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;

/**
 * The single-thread CPU time of each step of the two-step page search on a prepared index
 * (argument: its directory), per benchmark query: building the queries, the matching pass alone,
 * the ranking (with how many pages the full query scored) and counting the three facets of the
 * benchmark (the same matching pass counting them, less the pass alone). Last of 30 rounds per
 * query, and the mean over the last 20.
 */
public final class StepCost {
  public static void main(String[] args) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (AnalysisRegistry analysis = new AnalysisRegistry(); PageIndex index = PageIndex.open(Path.of(args[0]), analysis)) {
      java.lang.reflect.Field f = PageIndex.class.getDeclaredField("index");
      f.setAccessible(true);
      @SuppressWarnings("unchecked")
      GenerationalIndex<FacetedSearcher> gi = (GenerationalIndex<FacetedSearcher>) f.get(index);
      PageQueries queries = new PageQueries(analysis);
      java.util.concurrent.atomic.AtomicReference<IndexStats> last = new java.util.concurrent.atomic.AtomicReference<>();
      double[] sum = new double[4];
      for (int round = 0; round < 30; round++) {
        boolean print = round == 29; final int rnd = round;
        for (String text : QueryPassCost.QUERIES) {
          PageQuery request = TwoStepCost.request(text, 0, true);
          gi.search(s -> {
            try {
              long t0 = threads.getCurrentThreadCpuTime();
              IndexStats stats = IndexStats.of(s, last);
              Query full = queries.build(request, Set.of(), stats, false);
              Query matching = queries.matching(request, Set.of(), stats, false);
              CandidateRanking ranking = CandidateRanking.of(full);
              long t1 = threads.getCurrentThreadCpuTime();
              IndexSearcher u = new IndexSearcher(s.getIndexReader());
              u.setQueryCache(null);
              long total = u.search(matching, FacetTally.manager(new FacetTally(Set.of(), request.now(), 30))).total();
              long t2 = threads.getCurrentThreadCpuTime();
              long scored = ranking.top(u, full, total, 10, stats, Integer.getInteger("scoreAllBelow", CandidateRanking.SCORE_ALL_BELOW)).scored();
              long t3 = threads.getCurrentThreadCpuTime();
              u.search(matching, FacetTally.manager(new FacetTally(request.facets(), request.now(), 30))).result();
              long t4 = threads.getCurrentThreadCpuTime() - (t2 - t1);
              if (rnd >= 10) {
                sum[0] += (t1 - t0) / 1e6; sum[1] += (t2 - t1) / 1e6; sum[2] += (t3 - t2) / 1e6; sum[3] += (t4 - t3) / 1e6;
              }
              if (print) {
                System.out.printf("%-20s total %6d scored %6d  build %.2f match %.2f rank %.2f facets %.2f ms%n", text, total, scored, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6);
              }
              return null;
            } catch (Exception e) { throw new RuntimeException(e); }
          });
        }
      }
      int n = 20 * QueryPassCost.QUERIES.size();
      System.out.printf("mean: build %.2f match %.2f rank %.2f facets(3, beyond matching) %.2f ms%n", sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n);
    }
  }
}

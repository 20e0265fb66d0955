package jp.tsunagu.search.page;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.index.FacetedSearcher;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopScoreDocCollectorManager;

/**
 * The single-thread CPU time of each pass a page search could be made of, on a prepared index
 * (argument: its directory): the one scoring pass that also collects facet matches (what {@code
 * PageSearch} runs), a top-10 pass allowed to skip blocks (block-max WAND) after 100 or 1,000 hits,
 * a pass that counts every match without scores (with and without the query cache), and building
 * the query alone. Median of 15 rounds of the benchmark queries after 10 warm-up rounds.
 */
public final class QueryPassCost {
  /** The queries of {@code jp.tsunagu.search.bench.BenchCorpus} (package-private there). */
  static final List<String> QUERIES = List.of(
      "保育園 申し込み", "粗大ごみ 収集", "防災訓練 日程", "住民税 変更", "がん検診 受付", "図書館 案内",
      "介護保険 申請", "パスポート 申請", "乳幼児 健診 日程", "子供 医療費 助成", "マイナンバーカード 手続き",
      "避難所 開設", "児童手当 支給日", "花火大会 交通規制", "ごみ 収集日 年末年始", "学童保育 定員");

  interface Pass { Object run(FacetedSearcher s, Query q) throws Exception; }

  public static void main(String[] args) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (AnalysisRegistry analysis = new AnalysisRegistry(); PageIndex index = PageIndex.open(Path.of(args[0]), analysis)) {
      PageQueries queries = new PageQueries(analysis);
      // the searcher itself, which the page index does not hand out
      java.lang.reflect.Field f = PageIndex.class.getDeclaredField("index");
      f.setAccessible(true);
      @SuppressWarnings("unchecked")
      jp.tsunagu.search.index.GenerationalIndex<FacetedSearcher> gi = (jp.tsunagu.search.index.GenerationalIndex<FacetedSearcher>) f.get(index);
      String[] names = {"full scoring + facets collector", "top10 TOP_SCORES thr100", "top10 TOP_SCORES thr1000", "count pass no cache", "count pass default cache", "build query only"};
      Pass[] passes = {
        (s, q) -> FacetsCollectorManager.search(s, q, 10, new FacetsCollectorManager()),
        (s, q) -> s.search(q, new TopScoreDocCollectorManager(10, 100)),
        (s, q) -> s.search(q, new TopScoreDocCollectorManager(10, 1000)),
        (s, q) -> { s.setQueryCache(null); return s.search(new ConstantScoreQuery(q), new FacetsCollectorManager(false)); },
        (s, q) -> { s.setQueryCache(org.apache.lucene.search.IndexSearcher.getDefaultQueryCache()); return s.search(new ConstantScoreQuery(q), new FacetsCollectorManager(false)); },
        (s, q) -> q,
      };
      for (int p = 0; p < passes.length; p++) {
        Pass pass = passes[p];
        double[] rounds = new double[15];
        for (int r = -10; r < 15; r++) {
          long cpu = threads.getCurrentThreadCpuTime();
          for (String text : QUERIES) {
            PageQuery request = PageQuery.builder(jp.tsunagu.search.corpus.MunicipalCorpus.TENANT).text(text).page(0, 10).now(jp.tsunagu.search.corpus.MunicipalCorpus.EPOCH).build();
            gi.search(s -> {
              try {
                Query q = queries.build(request, Set.of(), s, false);
                return pass.run(s, q);
              } catch (Exception e) { throw new RuntimeException(e); }
            });
          }
          if (r >= 0) rounds[r] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / QUERIES.size();
        }
        java.util.Arrays.sort(rounds);
        System.out.printf("%-35s %.2f ms%n", names[p], rounds[7]);
      }
    }
  }
}

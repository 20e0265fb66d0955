package jp.tsunagu.search.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.corpus.MunicipalCorpus;
import jp.tsunagu.search.page.PageHit;
import jp.tsunagu.search.page.PageIndex;
import jp.tsunagu.search.page.PageQuery;
import jp.tsunagu.search.page.PageResults;

/**
 * Everything the benchmark queries answer on a prepared index, written out in full: totals, every
 * facet count, and each hit with its score (as the float's bits), title, summary and snippet, for
 * the 16 queries at offsets 0 and 40, with all facets and highlights, and without highlights. Two
 * versions of the search that write the same file give the same results on that index.
 *
 * <p>Arguments: index directory, output file.
 */
public final class QueryDigest {
  private QueryDigest() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[1]);
    try (AnalysisRegistry analysis = new AnalysisRegistry(); PageIndex index = PageIndex.open(Path.of(args[0]), analysis);
        PrintStream w = new PrintStream(Files.newOutputStream(out), true, StandardCharsets.UTF_8)) {
      for (String q : BenchCorpus.QUERIES) {
        for (int offset : new int[] {0, 40}) {
          for (boolean highlight : new boolean[] {true, false}) {
            PageResults r = index.search(PageQuery.builder(MunicipalCorpus.TENANT).text(q).page(offset, 10)
                .highlight(highlight).facets("category", "department", "published", "district", "tag", "life_stage",
                    "language")
                .now(MunicipalCorpus.EPOCH).build());
            w.println("## " + q + " @" + offset + (highlight ? " highlighted" : ""));
            w.println("total " + r.total() + " didYouMean " + r.didYouMean());
            w.println("facets " + r.facets());
            for (PageHit h : r.pinned()) {
              w.println("pinned " + h);
            }
            for (PageHit h : r.hits()) {
              w.println(Integer.toHexString(Float.floatToIntBits(h.score())) + " " + h);
            }
          }
        }
      }
    }
  }
}

package jp.tsunagu.search.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.analysis.AnalyzedText;
import jp.tsunagu.search.page.Page;
import jp.tsunagu.search.page.PageIndex;
import org.apache.lucene.analysis.Analyzer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Indexing throughput against Kuromoji analysis alone, one thread each: {@code analyzeOnly} runs
 * the index-time analysis chain over title, summary and body of every page; {@code index} upserts
 * every page into a fresh on-disk index and commits. Each invocation handles {@code pages} pages.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class IndexingBenchmark {

  @Param("3000")
  public int pages;

  private List<Page> corpus;
  private AnalysisRegistry analysis;
  private Analyzer analyzer;
  private Path root;

  @Setup
  public void setUp() throws IOException {
    corpus = BenchCorpus.pages(pages);
    analysis = new AnalysisRegistry();
    analyzer = analysis.forTenant(corpus.getFirst().tenant()).indexSurface();
    root = Files.createTempDirectory("tsunagu-bench-index");
  }

  @TearDown
  public void tearDown() throws IOException {
    analysis.close();
    deleteTree(root);
  }

  @Benchmark
  public long analyzeOnly() {
    long tokens = 0;
    for (Page p : corpus) {
      tokens += AnalyzedText.analyze(analyzer, "title", p.title()).terms().size();
      tokens += AnalyzedText.analyze(analyzer, "summary", p.summary()).terms().size();
      tokens += AnalyzedText.analyze(analyzer, "body", p.body()).terms().size();
    }
    return tokens;
  }

  @Benchmark
  public long index() throws IOException {
    Path dir = Files.createTempDirectory(root, "run");
    try (PageIndex index = PageIndex.open(dir, analysis)) {
      for (Page p : corpus) {
        index.upsert(p);
      }
      index.commit(1);
      return index.committedSequence();
    } finally {
      deleteTree(dir);
    }
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

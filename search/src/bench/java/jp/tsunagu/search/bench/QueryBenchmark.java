package jp.tsunagu.search.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.corpus.MunicipalCorpus;
import jp.tsunagu.search.page.PageIndex;
import jp.tsunagu.search.page.PageQuery;
import jp.tsunagu.search.page.PageResults;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Query latency at 8 concurrent clients over the prepared corpus ({@link SearchBenchmarks} builds
 * it): the page index with three facets, highlighted snippets and page size 10, and PostgreSQL
 * pg_trgm with ILIKE on the same queries.
 *
 * <p>{@link #lucene} searches as the node does: each client hands its search to a pool of as many
 * threads as there are cores (the node's {@code tsunagu-search} pool, {@code search.workers}) and
 * waits for the answer, so a search waits in the pool's queue rather than sharing a core with seven
 * others, and the latency is what the client sees, waiting included. {@link #luceneDirect} has the 8
 * clients call the index on their own threads, for comparison.
 *
 * <p>The forked JVM takes the options of the JVM that starts it (JMH's default; naming {@code jvmArgs} here would
 * replace them), so the clients run with the options the node runs with, the Vector API module among them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(8)
@Fork(1)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 3, time = 10)
public class QueryBenchmark {

  static final String DIR_PROPERTY = "tsunagu.bench.dir";

  private AnalysisRegistry analysis;
  private PageIndex index;
  private PgCorpus postgres;
  private ExecutorService searchPool;

  @Setup
  public void setUp() throws IOException {
    Path dir = Path.of(System.getProperty(DIR_PROPERTY));
    AtomicInteger n = new AtomicInteger();
    searchPool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
      Thread t = new Thread(r, "bench-search-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    analysis = new AnalysisRegistry();
    index = PageIndex.open(dir.resolve("lucene"), analysis);
    postgres = PgCorpus.start(dir.resolve("postgres"));
  }

  @TearDown
  public void tearDown() throws IOException {
    searchPool.shutdownNow();
    postgres.close();
    index.close();
    analysis.close();
  }

  /** One client: its own connection and its own walk through the queries. */
  @State(Scope.Thread)
  public static class Client {
    Connection connection;
    int next;

    @Setup
    public void connect(QueryBenchmark bench) throws SQLException {
      connection = bench.postgres.connect();
      next = (int) (Thread.currentThread().threadId() % BenchCorpus.QUERIES.size());
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      connection.close();
    }

    String query() {
      next = (next + 1) % BenchCorpus.QUERIES.size();
      return BenchCorpus.QUERIES.get(next);
    }
  }

  @Benchmark
  public PageResults lucene(Client client) throws Exception {
    PageQuery query = query(client);
    return searchPool.submit(() -> index.search(query)).get();
  }

  @Benchmark
  public PageResults luceneDirect(Client client) {
    return index.search(query(client));
  }

  private static PageQuery query(Client client) {
    return PageQuery.builder(MunicipalCorpus.TENANT)
        .text(client.query())
        .facets("category", "department", "published")
        .page(0, 10)
        .highlight(true)
        .now(MunicipalCorpus.EPOCH)
        .build();
  }

  @Benchmark
  @Warmup(iterations = 2, time = 5) // seconds a query: its JIT is PostgreSQL's, nothing to warm here
  public long pgTrgm(Client client) throws SQLException {
    return PgCorpus.run(client.connection, client.query());
  }
}

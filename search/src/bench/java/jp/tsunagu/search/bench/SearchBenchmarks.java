package jp.tsunagu.search.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.corpus.MunicipalCorpus;
import jp.tsunagu.search.index.RebuildProgress;
import jp.tsunagu.search.index.WriteToken;
import jp.tsunagu.search.page.Page;
import jp.tsunagu.search.page.PageIndex;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the search benchmarks and writes the "Search" section of {@code docs/benchmarks.md}:
 * measures indexing against analysis alone ({@link IndexingRatio}), prepares the corpus in Lucene
 * and PostgreSQL, runs {@link QueryBenchmark} with JMH and {@link QueryCpu}, then measures
 * publish-to-searchable latency under a steady ingest.
 *
 * <p>Arguments: number of pages, path of benchmarks.md.
 */
public final class SearchBenchmarks {

  static final int INGEST_PER_SECOND = 50;
  static final int INGEST_SECONDS = 20;
  static final int INDEXING_PAGES = 2_000;
  static final int INDEXING_SHOTS = 3;
  static final int QUERY_CPU_WARMUP = 60;
  static final int QUERY_CPU_ROUNDS = 25;

  public static void main(String[] args) throws Exception {
    int pages = Integer.parseInt(args[0]);
    Path report = Path.of(args[1]);
    Path dir = Path.of("target", "bench-data").toAbsolutePath();
    IndexingRatio.deleteTree(dir);
    Files.createDirectories(dir);
    int cores = Runtime.getRuntime().availableProcessors();

    String loadAtStart = loadAverage();
    int indexingPages = Math.min(pages, INDEXING_PAGES);
    List<Page> sample = BenchCorpus.pages(indexingPages);
    IndexingRatio.Figures live = IndexingRatio.measure(sample, 1, false, INDEXING_SHOTS);
    IndexingRatio.Figures bulk = IndexingRatio.measure(sample, cores, true, INDEXING_SHOTS);
    sample = null;
    String loadAfterIndexing = loadAverage();

    List<Page> corpus = BenchCorpus.pages(pages);
    long chars = corpus.stream().mapToLong(p -> p.body().length()).sum() / corpus.size();
    double bulkSeconds = buildLucene(dir.resolve("lucene"), corpus, cores);
    String pgInfo;
    String plan;
    double pgLoadSeconds;
    try (PgCorpus pg = PgCorpus.start(dir.resolve("postgres"))) {
      long t0 = System.nanoTime();
      pg.load(corpus);
      pgLoadSeconds = (System.nanoTime() - t0) / 1e9;
      pgInfo = pg.describe();
      plan = pg.plan(BenchCorpus.QUERIES.getFirst());
    }
    corpus = null;
    System.out.println(pgInfo);
    System.out.println(plan);
    String loadAfterLoading = loadAverage();

    Options queryOptions = new OptionsBuilder()
        .include(QueryBenchmark.class.getName())
        .jvmArgsAppend("-D" + QueryBenchmark.DIR_PROPERTY + "=" + dir)
        .build();
    Collection<RunResult> queries = new Runner(queryOptions).run();
    String loadAfterQueries = loadAverage();
    QueryCpu.Figures cpu = QueryCpu.measure(dir.resolve("lucene"), QUERY_CPU_WARMUP, QUERY_CPU_ROUNDS);

    Freshness passive = freshness(dir.resolve("lucene"), false);
    Freshness waiting = freshness(dir.resolve("lucene"), true);
    String loadAtEnd = loadAverage();

    String section = section(pages, chars, bulkSeconds, cores, pgLoadSeconds, pgInfo, plan, live, bulk, queries, cpu,
        passive, waiting, List.of(loadAtStart, loadAfterIndexing, loadAfterLoading, loadAfterQueries, loadAtEnd));
    System.out.println(section);
    writeSection(report, section);
  }

  /** The 1, 5 and 15 minute load averages of the machine. */
  public static String loadAverage() throws IOException {
    String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return parts[0] + " / " + parts[1] + " / " + parts[2];
  }

  private static double buildLucene(Path dir, List<Page> corpus, int threads) throws Exception {
    try (AnalysisRegistry analysis = new AnalysisRegistry(); PageIndex index = PageIndex.open(dir, analysis)) {
      long t0 = System.nanoTime();
      index.rebuild(corpus.stream(), corpus.size(), new RebuildProgress(corpus.size()), threads);
      return (System.nanoTime() - t0) / 1e9;
    }
  }

  private record Pending(String id, long published) {}

  record Freshness(double p50, double p99, double max, int count) {}

  /**
   * Publishes {@value #INGEST_PER_SECOND} pages a second for {@value #INGEST_SECONDS} seconds and
   * measures from the return of {@code upsert} until the page is searchable: either observed by a
   * searcher polling every 2 ms (passive), or by the publisher calling {@code awaitSearchable}.
   */
  private static Freshness freshness(Path dir, boolean await) throws Exception {
    List<Page> fresh = new MunicipalCorpus(BenchCorpus.SEED + 1, BenchCorpus.BODY_CHARS)
        .generate(INGEST_PER_SECOND * INGEST_SECONDS).stream().map(g -> withId(g.page(), "fresh-" + g.page().id()))
        .toList();
    List<Double> latencies = new CopyOnWriteArrayList<>();
    try (AnalysisRegistry analysis = new AnalysisRegistry(); PageIndex index = PageIndex.open(dir, analysis)) {
      ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
      ExecutorService waiters = Executors.newVirtualThreadPerTaskExecutor();
      Thread poller = Thread.ofPlatform().daemon().start(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          for (var it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (index.contains(MunicipalCorpus.TENANT, p.id())) {
              latencies.add((System.nanoTime() - p.published()) / 1e6);
              it.remove();
            }
          }
          try {
            Thread.sleep(2);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      long start = System.nanoTime();
      long interval = TimeUnit.SECONDS.toNanos(1) / INGEST_PER_SECOND;
      for (int i = 0; i < fresh.size(); i++) {
        long due = start + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        Page page = fresh.get(i);
        WriteToken token = index.upsert(page);
        long published = System.nanoTime();
        if (await) {
          waiters.submit(() -> {
            index.awaitSearchable(token, Duration.ofSeconds(30));
            latencies.add((System.nanoTime() - published) / 1e6);
            return null;
          });
        } else {
          pending.add(new Pending(page.id(), published));
        }
      }
      waiters.shutdown();
      waiters.awaitTermination(60, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!pending.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      poller.interrupt();
      poller.join();
    }
    List<Double> sorted = latencies.stream().sorted().toList();
    return new Freshness(percentile(sorted, 50), percentile(sorted, 99), sorted.getLast(), sorted.size());
  }

  private static Page withId(Page p, String id) {
    return new Page(p.tenant(), id, p.url(), p.title(), p.summary(), p.body(), p.category(), p.department(), p.tags(),
        p.districts(), p.lifeStages(), p.language(), p.published(), p.updated(), false);
  }

  static double percentile(List<Double> sorted, double pct) {
    int i = (int) Math.ceil(pct / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static RunResult find(Collection<RunResult> results, String method) {
    return results.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + method)).findFirst().orElseThrow();
  }

  private static String section(int pages, long chars, double bulkSeconds, int cores, double pgLoadSeconds,
      String pgInfo, String plan, IndexingRatio.Figures live, IndexingRatio.Figures bulk, Collection<RunResult> queries,
      QueryCpu.Figures cpu, Freshness passive, Freshness waiting, List<String> loads) throws Exception {
    var lucene = find(queries, "lucene").getPrimaryResult().getStatistics();
    var direct = find(queries, "luceneDirect").getPrimaryResult().getStatistics();
    var pg = find(queries, "pgTrgm").getPrimaryResult().getStatistics();
    String cpuModel = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
    StringBuilder s = new StringBuilder();
    s.append("## Search\n\n");
    s.append("Run ").append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES))
        .append(" with `./mvnw -pl search -Pbench verify -Dbench.pages=").append(pages).append("`.\n\n");
    s.append("Machine: ").append(cores).append(" cores (nproc), ").append(cpuModel)
        .append(", JDK ").append(System.getProperty("java.runtime.version"))
        .append(". The cores are shared with other builds on the same machine, so wall-clock figures vary between"
            + " runs; the 8 query clients share them with PostgreSQL. Load average (1 / 5 / 15 min) at the start, after"
            + " the indexing shots, after loading, after the query benchmark and at the end: ")
        .append(String.join("; ", loads)).append(".\n\n");
    s.append("Corpus: ").append(pages).append(" generated municipal pages (seed ").append(BenchCorpus.SEED)
        .append("), bodies of about ").append(chars).append(" Japanese characters, one tenant. ")
        .append(String.format(Locale.ROOT, "Bulk load into the page index (`rebuild` on %d threads): %.1f s"
            + " (%.0f pages/s); into PostgreSQL with the trigram index: %.1f s.%n%n", cores, bulkSeconds,
            pages / bulkSeconds, pgLoadSeconds));
    s.append("| measure | result | goal |\n|---|---|---|\n");
    s.append(String.format(Locale.ROOT, "| Kuromoji analysis alone (title+summary+body), 1 thread | %.0f pages/s | |%n",
        live.analysisPagesPerSecond()));
    s.append(String.format(Locale.ROOT, "| indexing, `upsert` from 1 thread + commit | %.0f pages/s | |%n",
        live.indexingPagesPerSecond()));
    s.append(String.format(Locale.ROOT, "| indexing / analysis, 1 thread: wall time / process CPU time | %.0f %% / %.0f %% | ≥ 80 %% |%n",
        100 * live.wallRatio(), 100 * live.cpuRatio()));
    s.append(String.format(Locale.ROOT, "| Kuromoji analysis alone, %d threads | %.0f pages/s | |%n", bulk.threads(),
        bulk.analysisPagesPerSecond()));
    s.append(String.format(Locale.ROOT, "| indexing, `rebuild` on %d threads | %.0f pages/s | |%n", bulk.threads(),
        bulk.indexingPagesPerSecond()));
    s.append(String.format(Locale.ROOT, "| indexing / analysis, %d threads: wall time / process CPU time | %.0f %% / %.0f %% | ≥ 80 %% |%n",
        bulk.threads(), 100 * bulk.wallRatio(), 100 * bulk.cpuRatio()));
    s.append(String.format(Locale.ROOT, "| page search p50, 8 clients on a search pool of %d threads, as the node (3 facets, highlights, 10 hits) | %.2f ms | ≤ 5 ms |%n",
        cores, lucene.getPercentile(50)));
    s.append(String.format(Locale.ROOT, "| page search p99, 8 clients on the pool | %.2f ms | ≤ 25 ms |%n", lucene.getPercentile(99)));
    s.append(String.format(Locale.ROOT, "| page search, 8 clients on the pool: mean / throughput | %.2f ms / %.0f searches/s | |%n",
        lucene.getMean(), 8 / lucene.getMean() * 1000));
    s.append(String.format(Locale.ROOT, "| page search p50 / p99 / mean, 8 clients each searching on its own thread (no pool) | %.2f / %.2f / %.2f ms | |%n",
        direct.getPercentile(50), direct.getPercentile(99), direct.getMean()));
    s.append(String.format(Locale.ROOT, "| page search CPU time, 1 thread: as above / without highlights / text only | %.2f / %.2f / %.2f ms | |%n",
        cpu.fullMs(), cpu.withoutHighlightsMs(), cpu.textOnlyMs()));
    s.append(String.format(Locale.ROOT, "| pg_trgm ILIKE p50, 8 clients (no facets, no highlights) | %.2f ms | |%n",
        pg.getPercentile(50)));
    s.append(String.format(Locale.ROOT, "| pg_trgm ILIKE p99, 8 clients | %.2f ms | |%n", pg.getPercentile(99)));
    s.append(String.format(Locale.ROOT, "| p50 speed-up over pg_trgm | %.0f× | ≥ 50× |%n",
        pg.getPercentile(50) / lucene.getPercentile(50)));
    s.append(String.format(Locale.ROOT, "| publish-to-searchable at %d pages/s, passive reader: p50 / p99 / max | %.0f / %.0f / %.0f ms | p99 < 1 s |%n",
        INGEST_PER_SECOND, passive.p50(), passive.p99(), passive.max()));
    s.append(String.format(Locale.ROOT, "| publish-to-searchable at %d pages/s, publisher calls awaitSearchable: p50 / p99 / max | %.0f / %.0f / %.0f ms | |%n",
        INGEST_PER_SECOND, waiting.p50(), waiting.p99(), waiting.max()));
    s.append("\n");
    s.append(String.format(Locale.ROOT, "Indexing: %d pages per shot, %d interleaved pairs of shots (analysis alone,"
        + " then indexing) after " + IndexingRatio.WARMUP_PAIRS + " warm-up pairs, medians; process CPU time counts"
        + " every thread of the JVM"
        + " (merges, flushes, the reopen thread, GC, the JIT compiler). Analysis alone runs the index-time chain over"
        + " title, summary and body and reads each token's term, offsets, position and katakana reading, keeping"
        + " nothing; the `upsert` shot writes in batches of " + IndexingRatio.LIVE_BATCH + " with a reopen requested"
        + " after each, as the platform's indexer does, and commits once at the end. Query latency: JMH SampleTime, %d + %d + %d samples"
        + " (the pool, no pool, pg_trgm), 3 × 10 s of warm-up and 3 × 10 s measured for each, %d queries of"
        + " 2–3 words (e.g. 「保育園 申し込み」, 「乳幼児 健診 日程」) cycled by every client; on the pool a client hands its"
        + " search to the pool and waits for it, so its latency includes the wait in the pool's queue. CPU time per search: one"
        + " thread, median of %d rounds of the %d queries after " + QUERY_CPU_WARMUP + ", the three kinds interleaved. Freshness: %d pages published at a steady %d pages/s onto"
        + " the %d-page index; the passive reader polls every 2 ms, the index reopens at least every 0.25 s on its"
        + " own.%n%n",
        live.pages(), live.shots(), lucene.getN(), direct.getN(), pg.getN(), BenchCorpus.QUERIES.size(), cpu.rounds(),
        BenchCorpus.QUERIES.size(), passive.count(), INGEST_PER_SECOND, pages));
    s.append("PostgreSQL: ").append(pgInfo).append(". Query: `").append(PgCorpus.sql(2))
        .append("`, one `%word%` per word, over a stored `title || ' ' || body` column with a GIN `gin_trgm_ops` index."
            + " Plan of the first query:\n\n```\n").append(plan.strip()).append("\n```\n");
    return s.toString();
  }

  static final String START = "<!-- search:start -->";
  static final String END = "<!-- search:end -->";

  /**
   * Replaces the text between the search markers of the file, or appends the marked section;
   * the other sections of the file are left as they are.
   */
  /** The hand-written reading notes of the section start here; a run keeps them as they are. */
  static final String NOTES = "### Reading the search figures";

  static void writeSection(Path file, String section) throws Exception {
    String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    int notes = start >= 0 && end > start ? text.substring(start, end).indexOf(NOTES) : -1;
    String kept = notes < 0 ? "" : "\n\n" + text.substring(start + notes, end).strip();
    String marked = START + "\n" + section.strip() + kept + "\n\n" + END + "\n";
    if (start >= 0 && end > start) {
      int after = end + END.length();
      if (after < text.length() && text.charAt(after) == '\n') {
        after++;
      }
      text = text.substring(0, start) + marked + text.substring(after);
    } else {
      text = text.stripTrailing() + "\n\n" + marked;
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}

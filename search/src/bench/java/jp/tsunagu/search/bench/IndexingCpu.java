package jp.tsunagu.search.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.page.Page;
import org.apache.lucene.analysis.Analyzer;

/**
 * Process CPU time per 2,000-page shot of analysis alone (1 thread), the live path ({@code upsert}
 * on 1 thread) and the bulk path ({@code rebuild} on 2 threads), each shot after the other in one
 * JVM, medians after {@code warmup} rounds; then the CPU time the JVM's own threads (JIT
 * compilers, GC) took over the counted rounds. CPU time varies less than wall time on a shared
 * machine; run it once per version, alternating, to compare two versions.
 *
 * <p>Arguments: rounds (default 11), warm-up rounds (default 4).
 */
public final class IndexingCpu {
  private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private IndexingCpu() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 11;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    List<Page> pages = BenchCorpus.pages(SearchBenchmarks.INDEXING_PAGES);
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    Map<String, Long> threadsAtStart = Map.of();
    long processAtStart = 0;
    Path root = Files.createTempDirectory("tsunagu-bench-cpu");
    try (AnalysisRegistry registry = new AnalysisRegistry()) {
      Analyzer analyzer = registry.forTenant(pages.getFirst().tenant()).indexSurface();
      for (int r = 0; r < rounds; r++) {
        if (r == warmup) {
          threadsAtStart = vmThreads();
          processAtStart = OS.getProcessCpuTime();
        }
        for (String shot : List.of("analysis", "upsert", "rebuild")) {
          System.gc();
          long c0 = OS.getProcessCpuTime();
          switch (shot) {
            case "analysis" -> {
              for (Page p : pages) {
                IndexingRatio.analyzeAlone(analyzer, "title", p.title());
                IndexingRatio.analyzeAlone(analyzer, "summary", p.summary());
                IndexingRatio.analyzeAlone(analyzer, "body", p.body());
              }
            }
            case "upsert" -> IndexingRatio.index(root, registry, pages, 1, false);
            default -> IndexingRatio.index(root, registry, pages, 2, true);
          }
          if (r >= warmup) {
            cpu.computeIfAbsent(shot, k -> new ArrayList<>()).add((OS.getProcessCpuTime() - c0) / 1e9);
          }
        }
      }
    } finally {
      IndexingRatio.deleteTree(root);
    }
    double analysis = median(cpu.get("analysis"));
    for (Map.Entry<String, List<Double>> e : cpu.entrySet()) {
      double m = median(e.getValue());
      System.out.printf(Locale.ROOT, "%-8s cpu %.2f s per shot (median of %d), %.2f × analysis%n", e.getKey(), m,
          e.getValue().size(), m / analysis);
    }
    System.out.printf(Locale.ROOT, "process cpu over the counted rounds %.1f s, of which:%n",
        (OS.getProcessCpuTime() - processAtStart) / 1e9);
    Map<String, Long> end = vmThreads();
    for (Map.Entry<String, Long> e : end.entrySet()) {
      long ticks = e.getValue() - threadsAtStart.getOrDefault(e.getKey(), 0L);
      if (ticks > 0) {
        System.out.printf(Locale.ROOT, "  %-24s %.2f s%n", e.getKey(), ticks / 100.0);
      }
    }
    System.out.println("load " + SearchBenchmarks.loadAverage());
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  /**
   * CPU ticks (1/100 s) of the JVM's long-lived threads by name, numbers folded ("GC Thread#0" and
   * "GC Thread#1" add up); threads that ended (merges, rebuild workers) are not listed.
   */
  private static Map<String, Long> vmThreads() throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        try {
          String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+$", "#");
          String stat = Files.readString(task.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
        } catch (IOException ended) {
          // the thread ended meanwhile
        }
      }
    }
    return out;
  }
}

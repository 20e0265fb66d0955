package jp.tsunagu.consent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the consent benchmarks and writes the "Consent" section of docs/benchmarks.md. */
public final class ConsentBenchmarks {
  static final int FORKS = 2;
  static final int WARMUP_ITERATIONS = 3;
  static final int MEASUREMENT_ITERATIONS = 5;
  static final int ITERATION_SECONDS = 2;
  private static final String BEGIN = "<!-- consent:begin -->";
  private static final String END = "<!-- consent:end -->";

  private ConsentBenchmarks() {}

  public static void main(String[] args) throws Exception {
    Path target = Path.of(args.length > 0 ? args[0] : "docs/benchmarks.md");
    Options options = new OptionsBuilder()
        .include(DecisionBenchmark.class.getName())
        .forks(FORKS)
        .warmupIterations(WARMUP_ITERATIONS)
        .measurementIterations(MEASUREMENT_ITERATIONS)
        .warmupTime(TimeValue.seconds(ITERATION_SECONDS))
        .measurementTime(TimeValue.seconds(ITERATION_SECONDS))
        .build();
    Collection<RunResult> results = new Runner(options).run();
    writeSection(target, section(results));
  }

  static String section(Collection<RunResult> results) throws IOException {
    var out = new StringBuilder();
    out.append(BEGIN).append('\n');
    out.append("## Consent\n\n");
    out.append("Decision gate, cached path (`jp.tsunagu.consent.bench.DecisionBenchmark`), measured on ")
        .append(LocalDate.now(ZoneOffset.UTC)).append(" with `./mvnw -pl consent -Pbench verify`.\n\n");
    out.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores (nproc), ")
        .append(cpuModel()).append("; JDK ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append(".\n");
    out.append("- The machine's cores are shared with other builds running at the same time, so figures vary ")
        .append("between runs; medians are quoted.\n");
    out.append("- JMH 1.37: ").append(FORKS).append(" forks, ").append(WARMUP_ITERATIONS).append(" × ")
        .append(ITERATION_SECONDS).append(" s warm-up, ").append(MEASUREMENT_ITERATIONS).append(" × ")
        .append(ITERATION_SECONDS).append(" s measurement, 1 thread. Every link cached before measuring; ")
        .append("each call builds its key from strings and cycles through `links` citizens.\n\n");
    out.append("| benchmark | links | p50 (µs) | p99 (µs) | p99.9 (µs) | decisions/s per core (median of iterations) |\n");
    out.append("|---|---:|---:|---:|---:|---:|\n");
    for (RunResult run : results) {
      String name = run.getParams().getBenchmark().replaceFirst(".*\\.", "");
      String links = run.getParams().getParam("links");
      BenchmarkResult aggregate = run.getAggregatedResult();
      var stats = aggregate.getPrimaryResult().getStatistics();
      if (name.endsWith("Latency")) {
        out.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | |%n", name, links,
            stats.getPercentile(50), stats.getPercentile(99), stats.getPercentile(99.9)));
      } else {
        out.append(String.format(Locale.ROOT, "| %s | %s | | | | %,.0f |%n", name, links, medianScore(run)));
      }
    }
    out.append('\n').append(END).append('\n');
    return out.toString();
  }

  private static double medianScore(RunResult run) {
    List<Double> scores = new ArrayList<>();
    for (BenchmarkResult b : run.getBenchmarkResults()) {
      for (IterationResult i : b.getIterationResults()) {
        scores.add(i.getPrimaryResult().getScore());
      }
    }
    double[] sorted = scores.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String cpuModel() throws IOException {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.exists(cpuinfo)) {
      return System.getProperty("os.arch");
    }
    return Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(System.getProperty("os.arch"));
  }

  /** Replaces the consent section (between its markers), or appends it; other sections stay as they are. */
  static void writeSection(Path file, String section) throws IOException {
    String existing = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
    int begin = existing.indexOf(BEGIN);
    int end = existing.indexOf(END);
    String updated;
    if (begin >= 0 && end > begin) {
      updated = existing.substring(0, begin) + section + existing.substring(Math.min(existing.length(), end + END.length() + 1));
    } else {
      updated = existing + (existing.endsWith("\n\n") ? "" : existing.endsWith("\n") ? "\n" : "\n\n") + section;
    }
    Files.writeString(file, updated);
    System.out.println(Arrays.toString(new String[] {"wrote", file.toString()}));
  }
}

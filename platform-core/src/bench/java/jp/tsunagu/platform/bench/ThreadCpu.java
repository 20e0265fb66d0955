package jp.tsunagu.platform.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this JVM's threads, grouped by what they do (event loops, password workers, JIT
 * compilers, collector, Hazelcast, the driver's own threads, the rest), read from
 * /proc/self/task: the JVM names its native threads after its Java threads.
 */
final class ThreadCpu {
  private static final double TICKS = 100.0;
  /** Groups by the start of the thread's name (Linux keeps its first 15 characters). */
  private static final Map<String, String[]> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("event loops", new String[] {"vert.x-eventloo"});
    GROUPS.put("password workers", new String[] {"tsunagu-passwor"});
    GROUPS.put("JIT", new String[] {"C1 CompilerThre", "C2 CompilerThre"});
    GROUPS.put("collector", new String[] {"GC Thread", "G1 ", "ZDriver", "ZWorker", "ZDirector"});
    GROUPS.put("Hazelcast", new String[] {"hz."});
    GROUPS.put("driver", new String[] {"bench-flow-"});
  }

  private ThreadCpu() {}

  /** CPU seconds per group since the JVM started (threads that ended are not counted). */
  static Map<String, Double> read() throws IOException {
    Map<String, Double> out = new LinkedHashMap<>();
    GROUPS.keySet().forEach(g -> out.put(g, 0.0));
    out.put("rest", 0.0);
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS; // utime, stime
          out.merge(group(name), seconds, Double::sum);
        } catch (IOException | RuntimeException gone) {
          // the thread ended while we read
        }
      }
    }
    return out;
  }

  /** after − before, per group. */
  static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
    Map<String, Double> out = new LinkedHashMap<>();
    after.forEach((g, s) -> out.put(g, s - before.getOrDefault(g, 0.0)));
    return out;
  }

  private static String group(String name) {
    for (Map.Entry<String, String[]> g : GROUPS.entrySet()) {
      for (String prefix : g.getValue()) {
        if (name.startsWith(prefix)) {
          return g.getKey();
        }
      }
    }
    return "rest";
  }
}

package jp.tsunagu.platform.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent during a measurement, split by who spent it: this JVM (the platform node), the
 * PostgreSQL server processes this JVM started, wrk, a Java process given by pid (another server,
 * e.g. Keycloak), and the rest of the machine (other people's work on a shared machine). Read from
 * /proc, in seconds of one core.
 */
final class CpuMeter {
  private static final double TICKS = 100.0;

  /** One reading. */
  record Reading(double node, double postgres, double wrk, double other, double machine, long nanos) {
    Reading minus(Reading before) {
      return new Reading(node - before.node, postgres - before.postgres, wrk - before.wrk, other - before.other,
          machine - before.machine, nanos - before.nanos);
    }

    double seconds() {
      return nanos / 1e9;
    }

    /** Cores busy on average: "node 1.23, PostgreSQL 0.45, wrk 0.10, rest of the machine 0.05". */
    String cores(String serverName) {
      double s = seconds();
      double rest = Math.max(0, machine - node - postgres - wrk - other);
      return String.format(java.util.Locale.ROOT, "%s %.2f, PostgreSQL %.2f, wrk %.2f, rest of the machine %.2f", serverName,
          (other > 0 ? other : node) / s, postgres / s, wrk / s, rest / s);
    }

    /** CPU milliseconds per request of the server, of PostgreSQL, and of both with wrk. */
    String perRequest(double requests) {
      double server = other > 0 ? other : node;
      return String.format(java.util.Locale.ROOT, "%.2f / %.2f / %.2f ms", server * 1000 / requests, postgres * 1000 / requests,
          (server + postgres + wrk) * 1000 / requests);
    }
  }

  private final long nodePid;
  private final int postgresPort;
  private final long otherPid;

  /**
   * @param nodePid the platform node's process (this JVM when it runs in-process)
   * @param postgresPort the port of the PostgreSQL server whose processes count as PostgreSQL
   * @param otherPid another server's process, or -1
   */
  CpuMeter(long nodePid, int postgresPort, long otherPid) {
    this.nodePid = nodePid;
    this.postgresPort = postgresPort;
    this.otherPid = otherPid;
  }

  Reading read() throws IOException {
    long postmaster = -1;
    java.util.Map<Long, String> stats = new java.util.HashMap<>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path d : (Iterable<Path>) procs::iterator) {
        String name = d.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(d.resolve("stat"));
          if (!stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).equals("postgres")) {
            continue;
          }
          long pid = Long.parseLong(name);
          stats.put(pid, stat);
          String cmd = new String(Files.readAllBytes(d.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
          if (cmd.contains(" -p " + postgresPort + " ")) {
            postmaster = pid;
          }
        } catch (IOException | RuntimeException gone) {
          // the process ended while we read
        }
      }
    }
    long pg = 0;
    for (var e : stats.entrySet()) {
      String[] f = fields(e.getValue());
      if (e.getKey() == postmaster || Long.parseLong(f[1]) == postmaster) {
        pg += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      }
    }
    String[] self = fields(Files.readString(Path.of("/proc/self/stat")));
    long wrk = Long.parseLong(self[13]) + Long.parseLong(self[14]); // children waited for: the wrk runs
    String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
    String[] f = cpu.trim().split("\\s+");
    long busy = 0;
    for (int i = 1; i < f.length; i++) {
      if (i != 4 && i != 5) { // idle and iowait
        busy += Long.parseLong(f[i]);
      }
    }
    return new Reading(ticksOf(nodePid) / TICKS, pg / TICKS, wrk / TICKS, otherPid < 0 ? 0 : ticksOf(otherPid) / TICKS, busy / TICKS,
        System.nanoTime());
  }

  private static String[] fields(String stat) {
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }

  private static long ticksOf(long pid) throws IOException {
    return ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
  }

  /** utime + stime of the process itself. */
  private static long ticks(String stat) {
    String[] f = fields(stat);
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}

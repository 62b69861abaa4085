package bench.flowable;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of the two parts a Flowable deployment pays for: this JVM (engine, JDBC driver, the benchmark's client
 * threads, JIT and GC) and Postgres (the postmaster and every process under it: backends, WAL writer, checkpointer,
 * autovacuum), read the way bench/lib/cpu.ts reads them for our system, so the figures compare.
 */
final class CpuMeter {
  /** Linux's USER_HZ on every architecture the JVM runs on. */
  private static final double CLK_TCK = 100.0;

  private final Integer postmasterPid;

  CpuMeter(Integer postmasterPid) {
    this.postmasterPid = postmasterPid;
  }

  /**
   * CPU seconds so far: the JVM's, the part of it its JIT compiler threads took, and Postgres' (NaN when no
   * postmaster pid was given or /proc is missing).
   */
  record Reading(double jvmSeconds, double jitSeconds, double postgresSeconds, long atNanos) {
    Reading minus(Reading base) {
      return new Reading(jvmSeconds - base.jvmSeconds, jitSeconds - base.jitSeconds, postgresSeconds - base.postgresSeconds,
          atNanos - base.atNanos);
    }

    double wallSeconds() {
      return atNanos / 1e9;
    }
  }

  Reading read() {
    long now = System.nanoTime();
    return new Reading(jvmSeconds(), jitSeconds(), postgresSeconds(), now);
  }

  /**
   * The HotSpot compiler threads ("C1 CompilerThre…", "C2 CompilerThre…" in /proc/self/task/&lt;tid&gt;/comm). On two shared
   * cores the JIT takes minutes to work through the engine's code, and its share of a window says how far from a
   * long-running server's steady state a figure is.
   */
  private static double jitSeconds() {
    long ticks = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path t : dir) {
        try {
          if (!Files.readString(t.resolve("comm")).strip().matches("C\\d CompilerThre.*")) continue;
          String s = Files.readString(t.resolve("stat"));
          String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException gone) {
          // a compiler thread that ended (HotSpot adds and removes them with the queue's length)
        }
      }
    } catch (IOException noProc) {
      return Double.NaN;
    }
    return ticks / CLK_TCK;
  }

  private static double jvmSeconds() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime() / 1e9;
    return Double.NaN;
  }

  /**
   * The postmaster's subtree: own ticks plus those of reaped children (cutime, cstime), so a backend that exited
   * during the window is still counted and the sum never goes backwards.
   */
  private double postgresSeconds() {
    if (postmasterPid == null) return Double.NaN;
    Map<Integer, long[]> stats = readStats(); // pid -> {ppid, ticks}
    if (!stats.containsKey(postmasterPid)) return Double.NaN;
    Map<Integer, List<Integer>> children = new HashMap<>();
    for (var e : stats.entrySet()) children.computeIfAbsent((int) e.getValue()[0], k -> new ArrayList<>()).add(e.getKey());
    long ticks = 0;
    var stack = new ArrayDeque<Integer>();
    stack.push(postmasterPid);
    while (!stack.isEmpty()) {
      int pid = stack.pop();
      long[] s = stats.get(pid);
      if (s != null) ticks += s[1];
      stack.addAll(children.getOrDefault(pid, List.of()));
    }
    return ticks / CLK_TCK;
  }

  private static Map<Integer, long[]> readStats() {
    Map<Integer, long[]> out = new HashMap<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : dir) {
        try {
          String s = Files.readString(p.resolve("stat"));
          // Fields after the command name in parentheses, which may itself hold spaces: f[0] is field 3 (state).
          String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
          out.put(Integer.parseInt(p.getFileName().toString()), new long[] {Long.parseLong(f[1]), ticks});
        } catch (IOException | RuntimeException gone) {
          // the process exited between the listing and the read
        }
      }
    } catch (IOException noProc) {
      // not Linux: Postgres' share stays unknown
    }
    return out;
  }
}

package dev.tsdb.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's memory and CPU from Linux procfs: VmRSS and VmHWM (peak RSS) from
 * /proc/PID/status, utime + stime from /proc/PID/stat (fields 14 and 15, in clock ticks).
 */
public record ProcStats(long rssBytes, long hwmBytes, long cpuMillis) {
  /** USER_HZ; 100 on every Linux we run on (`getconf CLK_TCK`). */
  static final long CLOCK_TICKS_PER_SECOND = 100;

  public static ProcStats of(long pid) throws IOException {
    long rss = -1;
    long hwm = -1;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = kilobytes(line);
      } else if (line.startsWith("VmHWM:")) {
        hwm = kilobytes(line);
      }
    }
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // The command name (field 2) may contain spaces; fields after it are space separated.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // f[0] is field 3 (state), so field n is f[n - 3].
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return new ProcStats(rss, hwm, ticks * 1000 / CLOCK_TICKS_PER_SECOND);
  }

  private static long kilobytes(String line) {
    String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
    return Long.parseLong(parts[0]) * 1024;
  }
}

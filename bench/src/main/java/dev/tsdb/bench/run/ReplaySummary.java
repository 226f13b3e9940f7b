package dev.tsdb.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The line a server logs when it has replayed its write-ahead log at start-up, trimmed of the
 * log prefix: ours logs "WAL replay done in N ms: ..." (what it read from checkpoint, segments
 * and memory-mapped chunks), Prometheus logs msg="WAL replay completed" with its durations.
 */
public final class ReplaySummary {
  private static final String OURS = "WAL replay done in";
  private static final String PROMETHEUS = "msg=\"WAL replay completed\"";

  private ReplaySummary() {}

  /** The last replay line of a log, or null when there is none. */
  public static String of(Path log) throws IOException {
    return find(Files.readString(log));
  }

  static String find(String log) {
    String found = null;
    for (String line : log.split("\n")) {
      int i = line.indexOf(OURS);
      if (i < 0) {
        i = line.indexOf(PROMETHEUS);
      }
      if (i >= 0) {
        found = line.substring(i).strip();
      }
    }
    return found;
  }
}

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
      if (i > 0 && line.charAt(i - 1) == '"') {
        // Our logfmt line quotes the message: keep it without the quotes, up to its end.
        found = line.substring(i, closingQuote(line, i));
        continue;
      }
      if (i < 0) {
        i = line.indexOf(PROMETHEUS);
      }
      if (i >= 0) {
        found = line.substring(i).strip();
      }
    }
    return found;
  }

  /** Index of the first unescaped '"' at or after {@code from}, or the line's end. */
  private static int closingQuote(String line, int from) {
    for (int j = from; j < line.length(); j++) {
      if (line.charAt(j) == '\\') {
        j++;
      } else if (line.charAt(j) == '"') {
        return j;
      }
    }
    return line.length();
  }
}

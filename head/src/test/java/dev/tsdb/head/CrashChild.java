package dev.tsdb.head;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import java.nio.file.Path;

/**
 * Child process of {@link HeadCrashRecoveryIT}: opens a head on a directory and commits one
 * sample per series per round forever, printing "ACK k" after commit k returned. The parent
 * kills it with SIGKILL at an arbitrary moment. An optional third argument sets the samples per
 * chunk (small: chunks are sealed and written to chunks_head/ all the time).
 */
public final class CrashChild {
  static final long T0 = 1_700_000_000_000L;

  private CrashChild() {}

  static Labels series(int i) {
    return Labels.of("__name__", "crash_test", "i", Integer.toString(i));
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    HeadOptions o = new HeadOptions().clock(() -> Long.MAX_VALUE / 2);
    if (args.length > 2) {
      o.samplesPerChunk = Integer.parseInt(args[2]);
    }
    Head h = Head.open(dir, o);
    long k = h.maxTime() == Long.MIN_VALUE ? 1 : (h.maxTime() - T0) / 1000 + 1;
    System.out.println("START " + k);
    System.out.flush();
    Appender a = h.appender();
    long[] refs = new long[n];
    for (; ; k++) {
      for (int i = 0; i < n; i++) {
        refs[i] = a.append(refs[i], series(i), T0 + k * 1000, k);
      }
      a.commit();
      System.out.println("ACK " + k);
      System.out.flush();
    }
  }
}

package dev.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery with a real SIGKILL: a child JVM appends and acknowledges commits, gets
 * killed at a random moment, and the reopened head must hold every acknowledged sample; a commit
 * is recovered whole or not at all (every series ends at the same sample). Full chunks go to
 * chunks_head/ meanwhile, so kills also land while chunks are being written there; the reopened
 * head loads them and replays only the WAL after them.
 */
class HeadCrashRecoveryIT {
  static final int SERIES = 200;

  @TempDir
  Path dir;

  @Test
  void everyAcknowledgedSampleSurvivesSigkill() throws Exception {
    crashRounds(120);
  }

  @Test
  void sigkillWhileChunksAreWrittenToChunksHead() throws Exception {
    long loaded = crashRounds(8); // a chunk sealed per series every few commits
    assertTrue(loaded > 0, "chunks loaded from chunks_head/");
  }

  /** Three rounds of append-then-SIGKILL; returns the chunks the last reopen loaded. */
  private long crashRounds(int samplesPerChunk) throws Exception {
    Random r = new Random();
    long loaded = 0;
    long acked = 0;
    for (int round = 0; round < 3; round++) {
      ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Xmx256m", "-cp",
          System.getProperty("java.class.path"), CrashChild.class.getName(), dir.toString(),
          Integer.toString(SERIES), Integer.toString(samplesPerChunk));
      pb.redirectError(dir.resolve("child-" + round + ".log").toFile());
      Process p = pb.start();
      long killAfter = 50 + r.nextInt(400); // acks to wait for before the kill
      long seenThisRound = 0;
      List<String> lines = new ArrayList<>();
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("ACK ")) {
            acked = Math.max(acked, Long.parseLong(line.substring(4)));
            if (++seenThisRound == killAfter) {
              p.toHandle().destroyForcibly(); // SIGKILL; unlike Process.destroy* keeps stdout open
            }
          } else {
            lines.add(line);
          }
        }
      }
      p.waitFor();
      assertTrue(seenThisRound >= killAfter, "child died early: " + lines);
      loaded = verify(acked, samplesPerChunk);
    }
    return loaded;
  }

  private long verify(long acked, int samplesPerChunk) throws Exception {
    HeadOptions o = new HeadOptions().clock(() -> Long.MAX_VALUE / 2);
    o.samplesPerChunk = samplesPerChunk;
    try (Head h = Head.open(dir, o);
        Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(false, null, Matcher.eq("__name__", "crash_test"));
      SampleIterator it = null;
      long commonLast = -1;
      int n = 0;
      while (ss.next()) {
        it = ss.at().iterator(it);
        long k = 0;
        while (it.next() == ValueType.FLOAT) {
          k++;
          assertEquals(CrashChild.T0 + k * 1000, it.t(), "gap in " + ss.at().labels());
          assertEquals((double) k, it.v());
        }
        assertNull(it.error());
        assertTrue(k >= acked, ss.at().labels() + " has " + k + " samples, " + acked + " acknowledged");
        if (commonLast < 0) {
          commonLast = k;
        }
        assertEquals(commonLast, k, "a commit was recovered partially");
        n++;
      }
      assertEquals(SERIES, n);
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("mmappedChunks=(\\d+)")
          .matcher(h.replaySummary());
      assertTrue(m.find(), h.replaySummary());
      return Long.parseLong(m.group(1));
    }
  }

  private static String javaBin() {
    return ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}

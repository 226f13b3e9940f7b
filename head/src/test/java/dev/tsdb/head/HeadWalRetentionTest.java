package dev.tsdb.head;

import static dev.tsdb.head.HeadTestUtil.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.head.HeadTestUtil.Sample;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.wal.Checkpoint;
import dev.tsdb.wal.Segments;
import dev.tsdb.wal.WalOptions;
import dev.tsdb.wal.WalRetention;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments a remote-write queue still reads ({@link WalRetention}) survive WAL truncation while
 * checkpoints go on, and replay is unaffected by them.
 */
class HeadWalRetentionTest {
  private static final long T0 = 1_700_000_000_000L;
  @TempDir Path dir;

  private static void fill(Head h, int from, int commits) throws Exception {
    for (int k = from; k < from + commits; k++) {
      Appender a = h.appender();
      for (int i = 0; i < 50; i++) {
        a.append(0, Labels.of("__name__", "m", "i", "" + i), T0 + k * 15_000L, k);
      }
      a.commit();
    }
  }

  @Test
  void heldSegmentsOutliveCheckpoints() throws Exception {
    HeadOptions o = new HeadOptions().clock(() -> Long.MAX_VALUE / 2)
        .walOptions(WalOptions.DEFAULT.withSegmentSize(64 * 1024));
    Path wal = dir.resolve("wal");
    Map<Labels, List<Sample>> before;
    try (Head h = Head.open(dir, o);
        WalRetention.Hold hold = WalRetention.hold(wal, () -> 0)) {
      fill(h, 0, 400);
      long cut = T0 + 200 * 15_000L;
      h.truncateBefore(cut);
      int first = h.truncateWal(cut);
      assertTrue(first >= 1, "checkpointed up to " + first);
      assertEquals(0, Segments.range(wal).first(), "segment 0 is held");
      fill(h, 400, 400);
      long cut2 = T0 + 600 * 15_000L;
      h.truncateBefore(cut2);
      int second = h.truncateWal(cut2); // starts after the first checkpoint, not at segment 0
      assertTrue(second > first, second + " after " + first);
      assertEquals(second, Checkpoint.last(wal).orElseThrow().index());
      assertEquals(0, Segments.range(wal).first());
      before = read(h, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.re("__name__", ".+"));
    }
    try (Head h = Head.open(dir, o)) {
      // Replay reads the newest checkpoint and the segments after it, not the held ones.
      assertEquals(before, read(h, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.re("__name__", ".+")));
      fill(h, 800, 200);
      h.truncateBefore(T0 + 900 * 15_000L);
      int third = h.truncateWal(T0 + 900 * 15_000L);
      assertTrue(third > 0);
      assertEquals(third + 1, Segments.range(wal).first(), "released: deleted");
    }
  }
}

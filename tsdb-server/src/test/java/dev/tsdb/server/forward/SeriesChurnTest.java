package dev.tsdb.server.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.head.Head;
import dev.tsdb.head.HeadOptions;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.rules.config.RemoteWriteConfig;
import dev.tsdb.wal.Segments;
import dev.tsdb.wal.WalOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The series cache follows churn: once the queue reads past a checkpoint, series the head
 * dropped (absent from the checkpoint) are forgotten; live ones stay and keep being sent.
 */
class SeriesChurnTest {
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;

  private static void fill(Head h, String name, int from, int commits) throws Exception {
    for (int k = from; k < from + commits; k++) {
      Appender a = h.appender();
      for (int i = 0; i < 50; i++) {
        a.append(0, Labels.of("__name__", name, "i", "" + i), T0 + k * 15_000L, k);
      }
      a.commit();
    }
  }

  /** Samples of the "old" series the receiver got after its first {@code skip}. */
  private static long countOld(StubReceiver rx, int skip) {
    synchronized (rx.samples) { // the receiver's thread appends to it
      return rx.samples.stream().skip(skip).filter(s -> s.series().contains("old")).count();
    }
  }

  private static void await(String what, BooleanSupplier cond) throws InterruptedException {
    dev.tsdb.testkit.Await.until(what, java.time.Duration.ofSeconds(30), cond);
  }

  @Test
  void seriesGoneFromTheCheckpointAreForgotten() throws Exception {
    HeadOptions o = new HeadOptions().clock(() -> Long.MAX_VALUE / 2)
        .walOptions(WalOptions.DEFAULT.withSegmentSize(64 * 1024));
    try (Head h = Head.open(dir, o);
        StubReceiver rx = new StubReceiver()) {
      RemoteWriteForwarder fwd = new RemoteWriteForwarder(dir, new SimpleMeterRegistry(),
          new RemoteWriteForwarder.Options(20, 60_000, 2_000));
      try {
        fwd.apply(List.of(RemoteWriteConfig.of(rx.url())), Labels.EMPTY);
        QueueManager q = fwd.queues().values().iterator().next();
        fill(h, "old", 0, 300);
        fill(h, "new", 300, 300);
        await("old and new known", () -> q.cachedSeries() == 100);
        long cut = T0 + 450 * 15_000L; // after the last "old" sample
        h.truncateBefore(cut);
        int checkpoint = h.truncateWal(cut);
        assertTrue(checkpoint >= 0);
        // Reading on into a segment after the checkpoint makes the queue collect.
        int last = Segments.range(dir.resolve("wal")).last();
        int k = 600;
        while (Segments.range(dir.resolve("wal")).last() < last + 2) {
          fill(h, "new", k, 50);
          k += 50;
        }
        await("only the live series", () -> q.cachedSeries() == 50);
        // Old samples read before the reset may still be in flight: all of them first (none is
        // lost), then nothing old may follow.
        await("every old sample delivered", () -> countOld(rx, 0) == 50 * 300);
        int sentBefore = rx.samples.size();
        fill(h, "new", k, 1);
        await("live series still sent", () -> rx.samples.size() >= sentBefore + 50);
        assertEquals(0, countOld(rx, sentBefore));
      } finally {
        fwd.close();
      }
    }
  }
}

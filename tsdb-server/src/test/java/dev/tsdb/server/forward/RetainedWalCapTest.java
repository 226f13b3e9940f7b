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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --storage.remote.max-retained-wal-bytes}: a queue stalled by its receiver holds at most
 * that much WAL; the older segments go at the next truncation, the queue skips them (counted),
 * and once the receiver is back it sends what came after with the series the checkpoint keeps.
 */
class RetainedWalCapTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final int SEGMENT = 64 * 1024;

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

  private static void await(String what, BooleanSupplier cond) throws InterruptedException {
    dev.tsdb.testkit.Await.until(what, java.time.Duration.ofSeconds(30), cond);
  }

  @Test
  void stalledQueueGivesUpSegmentsBeyondTheCap() throws Exception {
    HeadOptions o = new HeadOptions().clock(() -> Long.MAX_VALUE / 2)
        .walOptions(WalOptions.DEFAULT.withSegmentSize(SEGMENT));
    Path wal = dir.resolve("wal");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Head h = Head.open(dir, o);
        StubReceiver rx = new StubReceiver()) {
      rx.status = () -> 503;
      RemoteWriteForwarder fwd = new RemoteWriteForwarder(dir, registry,
          new RemoteWriteForwarder.Options(20, 60_000, 2_000, 3L * SEGMENT));
      try {
        fwd.apply(List.of(new RemoteWriteConfig(rx.url(), "cap", 5_000, Map.of(), List.of(),
            false, false, RemoteWriteConfig.PROTO_V1, null, null, null, null,
            new RemoteWriteConfig.QueueConfig(100, 1, 1, 50, 50, 5, 50, false, 0),
            new RemoteWriteConfig.MetadataConfig(false, 60_000, 10))), Labels.EMPTY);
        fill(h, 0, 1500);
        await("attempts", () -> rx.requests.get() >= 2);
        int newest = Segments.range(wal).last();
        assertTrue(newest >= 6, "segments written: " + (newest + 1));
        long cut = T0 + 1400 * 15_000L;
        h.truncateBefore(cut);
        int checkpoint = h.truncateWal(cut);
        int first = Segments.range(wal).first();
        // The queue is still at segment 0, but 3 segments' worth from the newest do not reach
        // back to the checkpoint: nothing before it is kept.
        assertTrue(checkpoint + 1 < newest - 3, "checkpoint " + checkpoint + " of " + newest);
        assertEquals(checkpoint + 1, first, "kept from");

        rx.status = () -> 204;
        fill(h, 1500, 10);
        await("the samples after the gap", () -> {
          synchronized (rx.samples) {
            return rx.samples.stream().filter(s -> s.t() == T0 + 1509 * 15_000L).count() == 50;
          }
        });
        Counter skipped = registry.find("tsdb_remote_storage_wal_segments_skipped_total")
            .tags("remote_name", "cap").counter();
        assertTrue(skipped != null && skipped.count() >= 1, "skips counted");
        double unknown = registry.find("prometheus_remote_storage_samples_dropped_total")
            .tags("remote_name", "cap").counters().stream().mapToDouble(Counter::count).sum();
        assertEquals(0, unknown, "series of the skipped segments came from the checkpoint");
      } finally {
        fwd.close();
      }
    }
  }
}

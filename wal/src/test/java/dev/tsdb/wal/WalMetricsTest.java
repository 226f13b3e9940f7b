package dev.tsdb.wal;

import static dev.tsdb.wal.WalFormat.PAGE_SIZE;
import static dev.tsdb.wal.WalTestUtil.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a WAL counts in its {@link WalMetrics}: flushes, pages, fsyncs, segments, truncation. */
class WalMetricsTest {
  @TempDir Path tmp;

  @Test
  void countsFlushesPagesFsyncsAndSegments() throws IOException {
    WalMetrics m = new WalMetrics();
    List<Long> observed = new ArrayList<>();
    m.observeFsyncs(observed::add);
    Path dir = tmp.resolve("wal");
    try (Wal wal = Wal.open(dir, WalOptions.DEFAULT.withSegmentSize(4 * PAGE_SIZE)
        .withMetrics(m))) {
      assertEquals(m, wal.metrics());
      assertEquals(0, m.currentSegment());
      wal.log(record(1, 100));
      assertEquals(1, m.pageFlushes.sum(), "a log call writes the partial page");
      assertEquals(0, m.completedPages.sum());
      wal.log(record(2, 100));
      assertEquals(2, m.pageFlushes.sum());
      wal.sync();
      assertEquals(1, m.fsyncs.sum());
      assertEquals(List.of(m.fsyncNanos.sum()), observed);

      // A record over two pages completes the first one.
      wal.log(record(3, PAGE_SIZE));
      assertEquals(1, m.completedPages.sum());
      assertEquals(4, m.pageFlushes.sum(), "the completed page, then the partial one");

      // Rolling over pads the page, fsyncs the old segment and starts the next.
      assertEquals(1, wal.nextSegment());
      assertEquals(1, m.currentSegment());
      assertEquals(2, m.completedPages.sum());
      assertEquals(2, m.fsyncs.sum());
      wal.log(record(4, 10));
      wal.nextSegment();
      wal.log(record(5, 10));
      wal.nextSegment();
      assertEquals(3, m.currentSegment());

      wal.truncate(2);
      assertEquals(1, m.truncations.sum());
      assertEquals(0, m.truncationsFailed.sum());
      assertTrue(Files.notExists(WalFormat.segmentPath(dir, 1)));
    }
    assertEquals(5, m.fsyncs.sum(), "close fsyncs the last segment");
    assertEquals(5, observed.size());
    assertEquals(0, m.writesFailed.sum());
  }

  @Test
  void withoutGivenMetricsEachWalHasItsOwn() throws IOException {
    try (Wal a = Wal.open(tmp.resolve("a")); Wal b = Wal.open(tmp.resolve("b"))) {
      a.log(record(1, 10));
      assertEquals(1, a.metrics().pageFlushes.sum());
      assertEquals(0, b.metrics().pageFlushes.sum());
    }
  }

  @Test
  void countsCheckpointsAndFailedWrites() throws IOException {
    WalMetrics m = new WalMetrics();
    Path dir = tmp.resolve("wal");
    Wal wal = Wal.open(dir, WalOptions.DEFAULT.withMetrics(m));
    wal.log(record(1, 10));
    wal.nextSegment();
    wal.log(record(2, 10));
    wal.nextSegment();
    Checkpoint.create(wal, 0, 1, ref -> true, 0);
    assertEquals(1, m.checkpointCreations.sum());
    // Covered already: attempted and failed.
    assertThrows(IOException.class, () -> Checkpoint.create(wal, 0, 1, ref -> true, 0));
    assertEquals(2, m.checkpointCreations.sum());
    assertEquals(1, m.checkpointCreationsFailed.sum());
    // The checkpoint's own segment did not count as this WAL's writes.
    assertEquals(2, m.currentSegment());
    wal.close();
    assertThrows(IOException.class, () -> wal.log(record(3, 10)));
    assertEquals(0, m.writesFailed.sum(), "writing to a closed WAL is not a write failure");
  }
}

package dev.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.head.chunkenc.RandomHistograms;
import dev.tsdb.head.snapshot.ChunkSnapshotDirs;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.ExemplarSeries;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.wal.Checkpoint;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chunk snapshot written on clean close and loaded on open instead of the WAL before it. */
class ChunkSnapshotTest {
  static final long T0 = 1_700_000_000_000L;
  static final int FLOAT_SERIES = 30;
  static final MetricMetadata GAUGE = new MetricMetadata("gauge", "A gauge.", "bytes");

  @TempDir
  Path dir;

  private static HeadOptions opts(boolean snapshot) {
    return new HeadOptions().clock(() -> Long.MAX_VALUE / 2).chunkSnapshotOnShutdown(snapshot);
  }

  private final RandomHistograms ints = new RandomHistograms(1, false, true);
  private final RandomHistograms floats = new RandomHistograms(2, false, false);

  /** Floats (several chunks each), integer and float histograms, a mixed series; exemplars. */
  private void fill(Head h, int from, int to) throws Exception {
    Appender a = h.appender();
    for (int k = from; k < to; k++) {
      long t = T0 + k * 15_000L;
      for (int i = 0; i < FLOAT_SERIES; i++) {
        a.append(0, Labels.of("__name__", "f", "i", "" + i), t, i * 1000 + k);
      }
      a.appendHistogram(0, Labels.of("__name__", "h"), t, ints.next(), null);
      a.appendHistogram(0, Labels.of("__name__", "fh"), t, null, floats.nextFloat());
      Labels mixed = Labels.of("__name__", "mixed");
      if (k % 50 < 25) {
        a.append(0, mixed, t, k);
      } else {
        a.appendHistogram(0, mixed, t, ints.next(), null);
      }
      if (k % 10 == 0) {
        a.appendExemplar(0, Labels.of("__name__", "f", "i", "1"),
            new Exemplar(Labels.of("trace_id", "t" + k), k, t));
      }
      a.commit();
    }
    a.updateMetadata(0, Labels.of("__name__", "f", "i", "2"), GAUGE);
    a.commit();
  }

  /** Everything a query can see: samples of all series, exemplars, metadata. */
  private static String state(Head h) {
    StringBuilder b = new StringBuilder();
    HeadHistogramWalTest.samples(h).forEach((k, v) -> b.append(k).append(v.size()).append(v)
        .append('\n'));
    b.append(HeadTestUtil.read(h, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.eq("__name__", "f")))
        .append('\n');
    List<ExemplarSeries> ex = h.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE,
        List.of(List.of(Matcher.re("__name__", ".+"))));
    b.append(ex).append('\n');
    b.append(h.metricMetadata(null, 0, 0)).append('\n');
    b.append(h.minTime()).append(' ').append(h.maxTime()).append(' ').append(h.numSeries());
    return b.toString();
  }

  private static long replayed(Head h, String key) {
    var m = Pattern.compile(key + "=(\\d+)").matcher(h.replaySummary());
    assertTrue(m.find(), h.replaySummary());
    return Long.parseLong(m.group(1));
  }

  private Optional<ChunkSnapshotDirs.Ref> snapshot() throws IOException {
    return ChunkSnapshotDirs.last(dir);
  }

  @Test
  void roundTripRestoresEverySampleTombstoneExemplarAndMetadata() throws Exception {
    String before;
    try (Head h = Head.open(dir, opts(true))) {
      fill(h, 0, 400);
      h.delete(T0 + 10 * 15_000L, T0 + 20 * 15_000L, Matcher.eq("i", "3"));
      before = state(h);
    }
    assertTrue(snapshot().isPresent());
    try (Head h = Head.open(dir, opts(true))) {
      assertTrue(h.loadedChunkSnapshot());
      assertEquals(0, replayed(h, "samples"), h.replaySummary());
      assertEquals(before, state(h));
      assertEquals(1, h.tombstonedSeries());
      fill(h, 400, 450); // the restored head chunks are cut and written out as appends go on
      before = state(h);
    }
    try (Head h = Head.open(dir, opts(true))) {
      assertTrue(h.loadedChunkSnapshot());
      assertEquals(before, state(h));
    }
    // With nothing appended between the opens, the restored head chunks stay head chunks.
    try (Head h = Head.open(dir, opts(true))) {
      assertEquals(before, state(h));
    }
    // The same data from the whole WAL (what a start without the snapshot does).
    try (Head h = Head.open(dir, opts(false))) {
      assertFalse(h.loadedChunkSnapshot());
      assertEquals(before, state(h));
    }
  }

  @Test
  void walWrittenAfterTheSnapshotIsReplayedOnTopOfIt() throws Exception {
    try (Head h = Head.open(dir, opts(true))) {
      fill(h, 0, 300);
    }
    String expected;
    try (Head h = Head.open(dir, opts(false))) { // runs on without snapshots, as after a downgrade
      fill(h, 300, 500);
      expected = state(h);
    }
    try (Head h = Head.open(dir, opts(true))) {
      assertTrue(h.loadedChunkSnapshot());
      assertTrue(replayed(h, "samples") > 0);
      assertEquals(expected, state(h));
    }
  }

  @Test
  void interruptedSnapshotLeavesThePreviousOneInUse() throws Exception {
    String expected;
    try (Head h = Head.open(dir, opts(true))) {
      fill(h, 0, 200);
      expected = state(h);
    }
    ChunkSnapshotDirs.Ref good = snapshot().orElseThrow();
    // A crash while writing the next one leaves its temporary directory, half written.
    Path tmp = ChunkSnapshotDirs.tmpFor(dir, good.segment() + 1, 0);
    Files.createDirectories(tmp);
    Files.write(tmp.resolve("00000000"), new byte[] {1, 2, 3});
    try (Head h = Head.open(dir, opts(true))) {
      assertTrue(h.loadedChunkSnapshot());
      assertEquals(expected, state(h));
      assertFalse(Files.exists(tmp));
    }
  }

  @Test
  void staleSnapshotIsIgnoredAndDeleted() throws Exception {
    try (Head h = Head.open(dir, opts(true))) {
      fill(h, 0, 200);
    }
    ChunkSnapshotDirs.Ref snap = snapshot().orElseThrow();
    // The WAL segment the snapshot points into lost bytes (cut by a repair, or replaced).
    Path seg = dir.resolve("wal").resolve(String.format("%08d", snap.segment()));
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(snap.offset() / 2);
    }
    try (Head h = Head.open(dir, opts(true))) {
      assertFalse(h.loadedChunkSnapshot());
      assertTrue(snapshot().isEmpty());
    }
  }

  @Test
  void snapshotOlderThanTheCheckpointIsIgnored() throws Exception {
    try (Head h = Head.open(dir, opts(true))) {
      fill(h, 0, 100);
    }
    ChunkSnapshotDirs.Ref snap = snapshot().orElseThrow();
    String expected;
    try (Head h = Head.open(dir, opts(false))) {
      fill(h, 100, 200);
      expected = state(h);
    }
    // A checkpoint made after the snapshot (the head was cut meanwhile).
    Path walDir = dir.resolve("wal");
    Checkpoint.create(walDir, 0, snap.segment(), ref -> true, Long.MIN_VALUE,
        dev.tsdb.wal.WalOptions.DEFAULT);
    try (Head h = Head.open(dir, opts(true))) {
      assertFalse(h.loadedChunkSnapshot());
      assertEquals(expected, state(h));
    }
  }

  @Test
  void corruptSnapshotFallsBackToTheWholeWal() throws Exception {
    String expected;
    try (Head h = Head.open(dir, opts(true))) {
      fill(h, 0, 300);
      expected = state(h);
    }
    Path seg;
    try (Stream<Path> s = Files.list(snapshot().orElseThrow().dir())) {
      seg = s.filter(p -> p.getFileName().toString().matches("\\d+")).findFirst().orElseThrow();
    }
    byte[] data = Files.readAllBytes(seg);
    data[100] ^= 0x55;
    Files.write(seg, data);
    try (Head h = Head.open(dir, opts(true))) {
      assertFalse(h.loadedChunkSnapshot());
      assertTrue(replayed(h, "samples") > 0);
      assertEquals(expected, state(h));
    }
  }

  @Test
  void snapshotFailingAfterSeriesWentInStartsTheOpenOver() throws Exception {
    String expected;
    try (Head h = Head.open(dir, opts(true))) {
      Appender a = h.appender();
      for (int k = 0; k < 3; k++) {
        for (int i = 0; i < 5000; i++) { // several batches of series before the damage
          a.append(0, Labels.of("__name__", "many", "i", "" + i), T0 + k * 15_000L, i + k);
        }
        a.commit();
      }
      expected = state(h) + HeadTestUtil.read(h, Long.MIN_VALUE, Long.MAX_VALUE,
          Matcher.eq("__name__", "many"));
    }
    Path seg;
    try (Stream<Path> s = Files.list(snapshot().orElseThrow().dir())) {
      seg = s.filter(p -> p.getFileName().toString().matches("\\d+")).findFirst().orElseThrow();
    }
    byte[] data = Files.readAllBytes(seg);
    int end = data.length - 1;
    while (data[end] == 0) {
      end--;
    }
    data[end * 9 / 10] ^= 0x55;
    Files.write(seg, data);
    try (Head h = Head.open(dir, opts(true))) {
      assertFalse(h.loadedChunkSnapshot());
      assertEquals(expected, state(h) + HeadTestUtil.read(h, Long.MIN_VALUE, Long.MAX_VALUE,
          Matcher.eq("__name__", "many")));
    }
  }

  @Test
  void outOfOrderSamplesPreventTheSnapshot() throws Exception {
    HeadOptions o = opts(true).outOfOrderTimeWindowMs(3_600_000);
    String expected;
    try (Head h = Head.open(dir, o)) {
      fill(h, 0, 100);
      Appender a = h.appender();
      a.append(0, Labels.of("__name__", "f", "i", "0"), T0 + 5, -1);
      a.commit();
      expected = state(h) + HeadTestUtil.read(h, Long.MIN_VALUE, Long.MAX_VALUE,
          Matcher.eq("i", "0"));
    }
    assertTrue(snapshot().isEmpty());
    try (Head h = Head.open(dir, o)) {
      assertFalse(h.loadedChunkSnapshot());
      assertEquals(expected, state(h) + HeadTestUtil.read(h, Long.MIN_VALUE, Long.MAX_VALUE,
          Matcher.eq("i", "0")));
    }
  }

  @Test
  void snapshotNamesSortByWalPosition() {
    assertEquals("chunk_snapshot.000012.0000032768", ChunkSnapshotDirs.name(12, 32768));
  }
}

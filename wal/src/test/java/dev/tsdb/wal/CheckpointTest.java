package dev.tsdb.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.wal.record.ExemplarBatch;
import dev.tsdb.wal.record.MetadataBatch;
import dev.tsdb.index.format.EncodeBuffer;
import dev.tsdb.wal.record.RecordDecoder;
import dev.tsdb.wal.record.RecordEncoder;
import dev.tsdb.wal.record.RecordType;
import dev.tsdb.wal.record.SampleBatch;
import dev.tsdb.wal.record.SeriesBatch;
import dev.tsdb.wal.record.TombstoneBatch;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path tmp;

  private final EncodeBuffer buf = new EncodeBuffer();

  /** Everything decoded from a WAL-format directory, in a comparable form. */
  private static final class Content {
    final Map<Long, Labels> series = new TreeMap<>();
    final List<String> samples = new ArrayList<>();
    final List<String> tombstones = new ArrayList<>();
    final List<String> exemplars = new ArrayList<>();
    final Map<Long, String> metadata = new TreeMap<>();
    int other;

    void add(byte[] rec, int len, RecordDecoder dec) {
      switch (RecordType.of(rec, len)) {
        case RecordType.SERIES: {
          SeriesBatch b = new SeriesBatch();
          dec.series(rec, len, b);
          for (int i = 0; i < b.size; i++) {
            series.put(b.refs[i], b.labels[i]);
          }
          break;
        }
        case RecordType.SAMPLES: {
          SampleBatch b = new SampleBatch();
          dec.samples(rec, len, b);
          for (int i = 0; i < b.size; i++) {
            samples.add(b.refs[i] + "@" + b.ts[i] + "=" + b.vs[i]);
          }
          break;
        }
        case RecordType.TOMBSTONES: {
          TombstoneBatch b = new TombstoneBatch();
          dec.tombstones(rec, len, b);
          for (int i = 0; i < b.size; i++) {
            tombstones.add(b.refs[i] + ":" + b.mints[i] + ".." + b.maxts[i]);
          }
          break;
        }
        case RecordType.EXEMPLARS: {
          ExemplarBatch b = new ExemplarBatch();
          dec.exemplars(rec, len, b);
          for (int i = 0; i < b.size; i++) {
            exemplars.add(b.refs[i] + "@" + b.ts[i] + b.labels[i]);
          }
          break;
        }
        case RecordType.METADATA: {
          MetadataBatch b = new MetadataBatch();
          dec.metadata(rec, len, b);
          for (int i = 0; i < b.size; i++) {
            metadata.put(b.refs[i], b.types[i] + "/" + b.units[i] + "/" + b.helps[i]);
          }
          break;
        }
        default:
          other++;
      }
    }

    static Content of(Path dir) throws IOException {
      Content c = new Content();
      RecordDecoder dec = new RecordDecoder();
      try (WalReader r = WalReader.open(dir)) {
        while (r.next()) {
          c.add(r.record(), r.recordLength(), dec);
        }
      }
      return c;
    }
  }

  /**
   * Segments 0..3 each hold: series 4k+1..4k+4 (first segment also 100), samples at t = 10*seg
   * .. 10*seg+9 for all series so far, a tombstone and an exemplar per segment, and metadata
   * updates for series 1. Segment 4 is the live one.
   */
  private Wal populate(Path dir) throws IOException {
    Wal wal = Wal.open(dir);
    for (int seg = 0; seg < 4; seg++) {
      SeriesBatch sb = new SeriesBatch();
      for (int k = 1; k <= 4; k++) {
        long ref = seg * 4 + k;
        sb.add(ref, Labels.of("__name__", "m", "ref", Long.toString(ref)));
      }
      if (seg == 0) {
        sb.add(100, Labels.of("__name__", "dead"));
      }
      RecordEncoder.series(sb, buf);
      wal.log(buf);
      SampleBatch s = new SampleBatch();
      for (int t = seg * 10; t < seg * 10 + 10; t++) {
        for (long ref = 1; ref <= seg * 4 + 4; ref++) {
          s.add(ref, t, ref * 1000 + t);
        }
      }
      RecordEncoder.samples(s, buf);
      wal.log(buf);
      TombstoneBatch tb = new TombstoneBatch();
      tb.add(1, seg * 10, seg * 10 + 5);
      RecordEncoder.tombstones(tb, buf);
      wal.log(buf);
      ExemplarBatch eb = new ExemplarBatch();
      eb.add(2, seg * 10 + 1, 0.5, Labels.of("trace_id", "t" + seg));
      RecordEncoder.exemplars(eb, buf);
      wal.log(buf);
      MetadataBatch mb = new MetadataBatch();
      mb.add(1, MetadataBatch.COUNTER, "", "help v" + seg);
      mb.add(100, MetadataBatch.GAUGE, "", "dead");
      RecordEncoder.metadata(mb, buf);
      wal.log(buf);
      wal.nextSegment();
    }
    return wal;
  }

  @Test
  void checkpointKeepsLiveSeriesAndRecentData() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal wal = populate(dir)) {
      assertEquals(4, wal.currentSegment());
      CheckpointStats stats = Checkpoint.create(wal, 0, 2, ref -> ref != 100 && ref != 3, 15);

      Path cp = Checkpoint.dirFor(dir, 2);
      assertEquals(cp, Checkpoint.last(dir).orElseThrow().dir());
      assertEquals(2, Checkpoint.last(dir).orElseThrow().index());
      assertTrue(Files.exists(WalFormat.segmentPath(cp, 0)));

      Content c = Content.of(cp);
      // Series 1..12 of segments 0..2 minus the two not kept.
      assertEquals(11, c.series.size());
      assertFalse(c.series.containsKey(3L));
      assertFalse(c.series.containsKey(100L));
      assertEquals(Labels.of("__name__", "m", "ref", "12"), c.series.get(12L));
      // Samples: segment 1 t=15..19 for refs 1..8, segment 2 t=20..29 for refs 1..12.
      assertEquals(5 * 8 + 10 * 12, c.samples.size());
      assertTrue(c.samples.contains("8@15=8015.0"));
      assertFalse(c.samples.stream().anyMatch(s -> s.contains("@14=")));
      // Tombstones ending at or after 15: segment 1 (10..15) and 2 (20..25).
      assertEquals(List.of("1:10..15", "1:20..25"), c.tombstones);
      // Exemplars at t >= 15: only segment 2's (t = 21).
      assertEquals(1, c.exemplars.size());
      assertTrue(c.exemplars.get(0).startsWith("2@21"));
      // Only the latest metadata of live series.
      assertEquals(Map.of(1L, MetadataBatch.COUNTER + "//help v2"), c.metadata);

      assertEquals(13, stats.totalSeries);
      assertEquals(2, stats.droppedSeries);
      assertEquals(6, stats.totalMetadata);
      assertEquals(5, stats.droppedMetadata);
      assertEquals(10 * 4 + 10 * 8 + 10 * 12, stats.totalSamples);
      assertEquals(10 * 4 + 5 * 8, stats.droppedSamples);

      wal.truncate(3);
      Checkpoint.deleteOlder(dir, 2);
      assertEquals(new SegmentRange(3, 4), wal.segments());

      // Replay: checkpoint, then segment 3 (and the empty live segment 4).
      Content replayed = new Content();
      RecordDecoder dec = new RecordDecoder();
      WalReplay.Result r = WalReplay.replay(dir, (rec, len) -> replayed.add(rec, len, dec));
      assertFalse(r.repaired());
      assertEquals(2, r.checkpoint().orElseThrow().index());
      assertEquals(15, replayed.series.size()); // + 13..16 from segment 3
      assertEquals(5 * 8 + 10 * 12 + 10 * 16, replayed.samples.size());

      // The next checkpoint folds in the previous one.
      int to = wal.nextSegment() - 1;
      assertEquals(4, to);
      Checkpoint.create(wal, 3, to, ref -> ref != 100 && ref != 3, 25);
      wal.truncate(to + 1);
      Checkpoint.deleteOlder(dir, to);
      assertEquals(List.of(new Checkpoint.Ref(Checkpoint.dirFor(dir, 4), 4)), Checkpoint.list(dir));
      Content c2 = Content.of(Checkpoint.dirFor(dir, 4));
      assertEquals(15, c2.series.size());
      assertEquals(5 * 12 + 10 * 16, c2.samples.size());
      assertEquals(MetadataBatch.COUNTER + "//help v3", c2.metadata.get(1L));
    }
  }

  @Test
  void rejectsLiveSegmentsGapsAndCoveredRanges() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal wal = populate(dir)) {
      assertThrows(IllegalArgumentException.class, () -> Checkpoint.create(wal, 0, 4, r -> true, 0));
      Checkpoint.create(wal, 0, 1, r -> true, 0);
      assertThrows(IOException.class, () -> Checkpoint.create(wal, 3, 3, r -> true, 0)); // gap: 2 missing
      assertThrows(IOException.class, () -> Checkpoint.create(wal, 0, 1, r -> true, 0)); // already covered
      // Starting below the checkpoint is allowed: it continues right after it.
      Checkpoint.create(wal, 0, 2, r -> true, 0);
      assertEquals(2, Checkpoint.last(dir).orElseThrow().index());
    }
  }

  @Test
  void leftoverTemporaryCheckpointIsIgnoredAndRemoved() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal wal = populate(dir)) {
      Checkpoint.create(wal, 0, 1, r -> true, 0);
    }
    // A crash while writing the next checkpoint leaves checkpoint.00000003.tmp behind.
    Path tmpCp = dir.resolve("checkpoint.00000003.tmp");
    Files.createDirectories(tmpCp);
    Files.write(WalFormat.segmentPath(tmpCp, 0), new byte[] {1, 2, 3});
    assertEquals(1, Checkpoint.last(dir).orElseThrow().index());
    WalReplay.Result r = WalReplay.replay(dir, (rec, len) -> { });
    assertFalse(r.repaired());
    assertFalse(Files.exists(tmpCp));

    Files.createDirectories(tmpCp);
    try (Wal wal = Wal.open(dir)) {
      assertFalse(Files.exists(tmpCp));
    }
  }

  @Test
  void damagedInputWritesNoCheckpoint() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal wal = populate(dir)) {
      try (RandomAccessFile f = new RandomAccessFile(WalFormat.segmentPath(dir, 1).toFile(), "rw")) {
        f.seek(30);
        f.write(f.read() ^ 0xFF);
      }
      assertThrows(WalCorruptionException.class, () -> Checkpoint.create(wal, 0, 2, r -> true, 0));
      assertTrue(Checkpoint.list(dir).isEmpty());
      try (var s = Files.list(dir)) {
        assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(Checkpoint.PREFIX)));
      }
    }
  }
}

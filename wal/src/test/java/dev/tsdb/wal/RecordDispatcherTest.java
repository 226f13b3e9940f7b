package dev.tsdb.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.wal.record.ExemplarBatch;
import dev.tsdb.wal.record.FloatHistogramBatch;
import dev.tsdb.wal.record.HistogramBatch;
import dev.tsdb.wal.record.MetadataBatch;
import dev.tsdb.index.format.EncodeBuffer;
import dev.tsdb.wal.record.RecordEncoder;
import dev.tsdb.wal.record.RecordType;
import dev.tsdb.wal.record.SampleBatch;
import dev.tsdb.wal.record.SeriesBatch;
import dev.tsdb.wal.record.TombstoneBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordDispatcherTest {
  @TempDir Path tmp;

  @Test
  void replayDispatchesKnownTypesAndCountsSkippedOnes() throws IOException {
    Path dir = tmp.resolve("wal");
    EncodeBuffer buf = new EncodeBuffer();
    try (Wal wal = Wal.open(dir)) {
      RecordEncoder.series(7, Labels.of("__name__", "up"), buf);
      wal.append(buf);
      SampleBatch s = new SampleBatch();
      s.add(7, 1000, 1);
      s.add(7, 2000, 0);
      RecordEncoder.samples(s, buf);
      wal.append(buf);
      TombstoneBatch t = new TombstoneBatch();
      t.add(7, 0, 10);
      RecordEncoder.tombstones(t, buf);
      wal.append(buf);
      ExemplarBatch e = new ExemplarBatch();
      e.add(7, 1000, 1, Labels.of("trace_id", "x"));
      RecordEncoder.exemplars(e, buf);
      wal.append(buf);
      MetadataBatch m = new MetadataBatch();
      m.add(7, MetadataBatch.GAUGE, "", "Up.");
      RecordEncoder.metadata(m, buf);
      wal.append(buf);
      // A float histogram record with one entry (schema 0, no buckets), then unknown types.
      buf.reset();
      buf.putByte(RecordType.FLOAT_HISTOGRAM_SAMPLES);
      buf.putBE64(7);
      buf.putBE64(3000);
      buf.putVarint(0);
      buf.putVarint(0);
      buf.putByte(0);
      buf.putVarint(0);
      for (int i = 0; i < 4; i++) {
        buf.putBE64(0);
      }
      for (int i = 0; i < 4; i++) {
        buf.putUvarint(0);
      }
      wal.append(buf);
      wal.log(new byte[] {RecordType.MMAP_MARKERS}, new byte[] {99}, new byte[0]);
    }

    List<String> seen = new ArrayList<>();
    RecordDispatcher d = new RecordDispatcher(new RecordDispatcher.Sink() {
      @Override
      public void series(SeriesBatch b) {
        seen.add("series " + b.refs[0] + b.labels[0]);
      }

      @Override
      public void samples(SampleBatch b) {
        seen.add("samples " + b.size);
      }

      @Override
      public void tombstones(TombstoneBatch b) {
        seen.add("tombstones " + b.size);
      }

      @Override
      public void exemplars(ExemplarBatch b) {
        seen.add("exemplars " + b.labels[0]);
      }

      @Override
      public void metadata(MetadataBatch b) {
        seen.add("metadata " + b.helps[0]);
      }
    });
    WalReplay.Result r = WalReplay.replay(dir, d);
    assertFalse(r.repaired());
    assertEquals(List.of("series 7{__name__=\"up\"}", "samples 2", "tombstones 1",
        "exemplars {trace_id=\"x\"}", "metadata Up."), seen);
    assertEquals(1, d.skippedHistogramRecords());
    assertEquals(1, d.skippedHistogramSamples());
    assertEquals(3, d.skippedOtherRecords());
  }

  @Test
  void histogramsReachASinkThatIngestsThem() throws IOException {
    Path dir = tmp.resolve("wal");
    EncodeBuffer buf = new EncodeBuffer();
    Histogram custom = new Histogram();
    custom.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
    custom.customValues = new double[] {1};
    FloatHistogram exponential = new FloatHistogram();
    exponential.count = 2;
    exponential.zeroCount = 2;
    try (Wal wal = Wal.open(dir)) {
      HistogramBatch ints = new HistogramBatch();
      ints.add(7, 1000, new Histogram());
      ints.add(8, 1000, custom);
      assertEquals(2, RecordEncoder.histogramRecords(ints, buf, wal::log));
      FloatHistogramBatch floats = new FloatHistogramBatch();
      floats.add(9, 2000, exponential);
      assertEquals(1, RecordEncoder.floatHistogramRecords(floats, buf, wal::log));
    }
    List<String> seen = new ArrayList<>();
    RecordDispatcher d = new RecordDispatcher(new RecordDispatcher.Sink() {
      @Override
      public boolean ingestsHistograms() {
        return true;
      }

      @Override
      public void histograms(HistogramBatch b) {
        seen.add("histograms " + b.refs[0] + " schema " + b.histograms[0].schema);
      }

      @Override
      public void floatHistograms(FloatHistogramBatch b) {
        seen.add("float " + b.refs[0] + " count " + b.histograms[0].count);
      }
    });
    assertFalse(WalReplay.replay(dir, d).repaired());
    assertEquals(List.of("histograms 7 schema 0", "histograms 8 schema -53", "float 9 count 2.0"),
        seen);
    assertEquals(0, d.skippedHistogramRecords());

    // The default sink ignores them, counted as before.
    RecordDispatcher skipping = new RecordDispatcher(new RecordDispatcher.Sink() {});
    WalReplay.replay(dir, skipping);
    assertEquals(3, skipping.skippedHistogramRecords());
    assertEquals(3, skipping.skippedHistogramSamples());
  }
}

package dev.tsdb.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.format.EncodeBuffer;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.wal.record.FloatHistogramBatch;
import dev.tsdb.wal.record.RecordDecoder;
import dev.tsdb.wal.record.RecordEncoder;
import dev.tsdb.wal.record.SampleBatch;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest path (encode a samples record, log it) and the replay path (read, decode) must not
 * allocate per sample or per record once warmed up. Measured with the JVM's per-thread
 * allocation counter, which is exact and independent of timing.
 */
class AllocationTest {
  private static final int SAMPLES = 1000;
  private static final int RECORDS = 500;

  @TempDir Path tmp;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static long allocatedBytes() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  static {
    // The first calls initialise the management machinery (allocating); keep that out of the
    // measured windows.
    for (int i = 0; i < 10; i++) {
      allocatedBytes();
    }
  }

  private static void fill(SampleBatch batch, int round) {
    batch.clear();
    for (int i = 0; i < SAMPLES; i++) {
      batch.add(i * 3L + 1, 1_700_000_000_000L + round * 15_000L + i % 7, round * 0.5 + i);
    }
  }

  @Test
  void encodingAndLoggingSamplesDoesNotAllocate() throws IOException {
    SampleBatch batch = new SampleBatch(SAMPLES);
    EncodeBuffer buf = new EncodeBuffer(64);
    try (Wal wal = Wal.open(tmp.resolve("wal"))) {
      for (int round = 0; round < RECORDS; round++) { // warm up: buffers grow, JIT compiles
        fill(batch, round);
        RecordEncoder.samples(batch, buf);
        wal.log(buf);
      }
      long before = allocatedBytes();
      for (int round = 0; round < RECORDS; round++) {
        fill(batch, round);
        RecordEncoder.samples(batch, buf);
        wal.log(buf);
      }
      long allocated = allocatedBytes() - before;
      assertTrue(allocated < RECORDS, "allocated " + allocated + " bytes for "
          + RECORDS * SAMPLES + " samples");
    }
  }

  @Test
  void readingAndDecodingSamplesDoesNotAllocate() throws IOException {
    Path dir = tmp.resolve("wal");
    SampleBatch batch = new SampleBatch(SAMPLES);
    EncodeBuffer buf = new EncodeBuffer();
    try (Wal wal = Wal.open(dir)) {
      for (int round = 0; round < 2 * RECORDS; round++) {
        fill(batch, round);
        RecordEncoder.samples(batch, buf);
        wal.log(buf);
      }
    }
    RecordDecoder dec = new RecordDecoder();
    SampleBatch out = new SampleBatch(SAMPLES);
    try (WalReader r = WalReader.open(dir)) {
      for (int i = 0; i < RECORDS; i++) { // warm up
        r.next();
        dec.samples(r.record(), r.recordLength(), out);
      }
      long before = allocatedBytes();
      double sum = 0;
      for (int i = 0; i < RECORDS; i++) {
        r.next();
        dec.samples(r.record(), r.recordLength(), out);
        sum += out.vs[out.size - 1];
      }
      long allocated = allocatedBytes() - before;
      assertEquals(SAMPLES, out.size);
      assertTrue(sum > 0);
      assertTrue(allocated < RECORDS, "allocated " + allocated + " bytes");
    }
  }

  @Test
  void encodingAndDecodingSameShapedHistogramsDoesNotAllocate() {
    FloatHistogram h = new FloatHistogram();
    h.schema = 3;
    h.zeroThreshold = 1e-128;
    h.positiveSpans = new int[] {-2, 4, 1, 3};
    h.positiveBuckets = new double[] {1, 2, 0, 4, 5, 6, 7};
    h.negativeSpans = new int[] {0, 2};
    h.negativeBuckets = new double[] {1, 1};
    FloatHistogramBatch batch = new FloatHistogramBatch(SAMPLES);
    for (int i = 0; i < 100; i++) {
      batch.add(i + 1, 1_700_000_000_000L + i, h);
    }
    EncodeBuffer buf = new EncodeBuffer();
    RecordDecoder dec = new RecordDecoder();
    FloatHistogramBatch out = new FloatHistogramBatch(SAMPLES);
    for (int round = 0; round < RECORDS; round++) { // warm up
      RecordEncoder.floatHistograms(batch, buf);
      dec.floatHistograms(buf.array(), buf.length(), out);
    }
    long before = allocatedBytes();
    for (int round = 0; round < RECORDS; round++) {
      h.count = round;
      RecordEncoder.floatHistograms(batch, buf);
      dec.floatHistograms(buf.array(), buf.length(), out);
    }
    long allocated = allocatedBytes() - before;
    assertEquals(h, out.histograms[99]);
    assertTrue(allocated < RECORDS, "allocated " + allocated + " bytes");
  }
}

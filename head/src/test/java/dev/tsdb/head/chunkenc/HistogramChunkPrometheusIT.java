package dev.tsdb.head.chunkenc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bit-exactness with Prometheus 3.5: we remote-write random native histogram series (integer
 * and float, counters and gauges, all schemas, custom buckets, stale markers, layout growth,
 * resets) to a real server, read its chunks back raw through remote read's STREAMED_XOR_CHUNKS
 * response, and compare them byte for byte with what our appenders produce for the same samples
 * when cut as Prometheus's head cuts them ({@link HeadChunkCutter}).
 */
class HistogramChunkPrometheusIT {
  private static final String METRIC = "hchunk_it";
  private static final int SERIES = 120;
  private static final int SAMPLES = 60;

  @TempDir Path tmp;

  @Test
  void chunksMatchPrometheusByteForByte() throws Exception {
    long now = System.currentTimeMillis();
    // All samples in one past 2h range, so only the appenders and sizes decide chunk cuts.
    long base = (now - 3 * HeadChunkCutter.CHUNK_RANGE / 2) / HeadChunkCutter.CHUNK_RANGE
        * HeadChunkCutter.CHUNK_RANGE + 60_000;
    Map<String, List<byte[]>> expected = new TreeMap<>();
    Map<String, Integer> types = new TreeMap<>();
    Proto write = new Proto();
    int recodes = 0;
    int appenderCuts = 0;
    int sizeCuts = 0;
    for (int s = 0; s < SERIES; s++) {
      boolean floats = s % 2 == 1;
      boolean gauge = s % 5 == 4;
      RandomHistograms gen = new RandomHistograms(1000 + s, gauge, s % 3 == 0);
      Random jitter = new Random(s);
      HeadChunkCutter cutter = new HeadChunkCutter();
      String id = String.format("%03d", s);
      Proto series = new Proto();
      series.message(1, Proto.label("__name__", METRIC));
      series.message(1, Proto.label("series", id));
      long t = base;
      for (int i = 0; i < SAMPLES; i++) {
        t += jitter.nextInt(10) == 0 ? 60_000 + jitter.nextInt(1000) : 15_000 + jitter.nextInt(5) - 2;
        if (floats) {
          FloatHistogram h = gen.nextFloat();
          series.message(4, floatHistogram(t, h));
          cutter.append(t, h);
        } else {
          Histogram h = gen.next();
          series.message(4, intHistogram(t, h));
          cutter.append(t, h);
        }
      }
      write.message(1, series);
      recodes += cutter.recodes;
      appenderCuts += cutter.appenderCuts;
      sizeCuts += cutter.sizeCuts;
      expected.put(id, cutter.chunks());
      types.put(id, floats ? 3 : 2);
    }

    try (Prometheus p = Prometheus.in(PrometheusRelease.V3_5, tmp.resolve("prom"))
        .flags("--enable-feature=native-histograms").start()) {
      HttpResponse<String> wr = p.write(write.bytes());
      assertEquals(204, wr.statusCode(), () -> "remote write: " + wr.body());
      Map<String, List<RemoteReadChunks.Chunk>> actual = RemoteReadChunks.read(p.base(), METRIC);
      assertEquals(expected.keySet(), actual.keySet());
      int chunks = 0;
      int recodedOrCut = 0;
      for (String id : expected.keySet()) {
        List<byte[]> want = expected.get(id);
        List<RemoteReadChunks.Chunk> got = actual.get(id);
        List<String> w = RemoteReadChunks.hex(want);
        List<String> g = got.stream().map(RemoteReadChunks.Chunk::hex).toList();
        assertEquals(w, g, "series " + id);
        for (RemoteReadChunks.Chunk c : got) {
          assertEquals((int) types.get(id), c.encoding(), "chunk encoding of series " + id);
        }
        chunks += got.size();
        recodedOrCut += got.size() > 1 ? 1 : 0;
      }
      String stats = chunks + " chunks, " + recodes + " recodes, " + appenderCuts
          + " cuts by reset/schema/stale, " + sizeCuts + " cuts by size";
      System.out.println("HistogramChunkPrometheusIT: " + stats);
      assertTrue(recodedOrCut > SERIES / 4 && recodes > SERIES / 4 && appenderCuts > SERIES / 4
          && sizeCuts > 0, stats);
    }
  }

  // ---- remote write ----

  private static Proto intHistogram(long t, Histogram h) {
    Proto p = new Proto();
    p.varint(1, h.count);
    p.fixed64(3, Double.doubleToRawLongBits(h.sum));
    p.varint(4, Proto.zigzag(h.schema));
    p.fixed64(5, Double.doubleToRawLongBits(h.zeroThreshold));
    p.varint(6, h.zeroCount);
    spans(p, 8, h.negativeSpans);
    p.packedSint(9, h.negativeBuckets);
    spans(p, 11, h.positiveSpans);
    p.packedSint(12, h.positiveBuckets);
    p.varint(14, h.counterResetHint.code());
    p.varint(15, t);
    p.packedDouble(16, h.customValues);
    return p;
  }

  private static Proto floatHistogram(long t, FloatHistogram h) {
    Proto p = new Proto();
    p.fixed64(2, Double.doubleToRawLongBits(h.count));
    p.fixed64(3, Double.doubleToRawLongBits(h.sum));
    p.varint(4, Proto.zigzag(h.schema));
    p.fixed64(5, Double.doubleToRawLongBits(h.zeroThreshold));
    p.fixed64(7, Double.doubleToRawLongBits(h.zeroCount));
    spans(p, 8, h.negativeSpans);
    p.packedDouble(10, h.negativeBuckets);
    spans(p, 11, h.positiveSpans);
    p.packedDouble(13, h.positiveBuckets);
    p.varint(14, h.counterResetHint.code());
    p.varint(15, t);
    p.packedDouble(16, h.customValues);
    return p;
  }

  private static void spans(Proto p, int field, int[] spans) {
    for (int i = 0; i < spans.length; i += 2) {
      Proto s = new Proto();
      s.varint(1, Proto.zigzag(spans[i]));
      s.varint(2, spans[i + 1]);
      p.message(field, s);
    }
  }
}

package dev.tsdb.head.chunkenc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.storage.ValueType;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bit-exactness of XOR float chunks with real servers: we remote-write random float series
 * (irregular and regular timestamps, big gaps, repeated values, NaN, stale markers, infinities,
 * signed zeros, full-width random bits) and read the chunks back raw through remote read
 * (STREAMED_XOR_CHUNKS, see {@link RemoteReadChunks}).
 *
 * <p>Prometheus 3.5 is the target: each of its chunks must equal, byte for byte, what
 * {@link XorAppender} writes for the same samples, and its head must cut them where
 * {@link HeadChunkCutter} does. Prometheus 2.x's bit stream left one extra zero byte behind a
 * whole-byte write that started on a byte boundary (a one-sample chunk always ends that way);
 * prometheus/prometheus#14854 (in 3.0) stopped writing it. Against 2.42 the chunks must therefore
 * equal ours, or ours plus one zero byte where ours ends exactly on a byte boundary; both forms
 * must decode to the samples sent.
 */
class XorChunkPrometheusIT {
  private static final String METRIC = "xchunk_it";
  private static final int SERIES = 160;
  private static final long STALE_NAN = 0x7ff0000000000002L;
  private static final long GO_NAN = 0x7ff8000000000001L;
  /** Keeps every series within 150 minutes: the head never compacts (that needs > 3h). */
  private static final long SPAN = 150 * 60_000L;

  @TempDir Path tmp;

  @Test
  void prometheus35ChunksEqualOursByteForByte() throws Exception {
    Outcome o = compare(PrometheusRelease.V3_5);
    assertEquals(0, o.extraZeroByte, o.toString());
    assertTrue(o.cutsChecked > 0 && o.sizeCuts > 0 && o.timeCuts > 0, o.toString());
  }

  @Test
  void prometheus242ChunksAreOursOrOursPlusOneZeroByte() throws Exception {
    Outcome o = compare(PrometheusRelease.V2_42);
    assertTrue(o.extraZeroByte > o.extraAfterManySamples && o.extraAfterManySamples > 0
        && o.identical > 0, o.toString());
  }

  private static final class Outcome {
    final String release;
    int chunks;
    int identical;
    int extraZeroByte;
    int extraAfterManySamples; // of extraZeroByte, chunks of more than one sample
    int cutsChecked;
    int sizeCuts;
    int timeCuts;
    String example = "";

    Outcome(String release) {
      this.release = release;
    }

    @Override
    public String toString() {
      return release + ": " + chunks + " chunks, " + identical + " identical to ours, "
          + extraZeroByte + " with one extra trailing zero byte (" + extraAfterManySamples
          + " of them with more than one sample); head cuts checked for "
          + cutsChecked + " series (" + sizeCuts + " size cuts, " + timeCuts + " time cuts)"
          + example;
    }
  }

  private Outcome compare(PrometheusRelease release) throws Exception {
    long now = System.currentTimeMillis();
    long range = HeadChunkCutter.CHUNK_RANGE;
    // Starts a 2h range at least 3h ago: the data lies in the past and may cross one boundary.
    long base = (now - 3 * 3600_000L) / range * range + 60_000;
    List<long[]> times = new ArrayList<>();
    List<long[]> values = new ArrayList<>();
    Proto write = new Proto();
    for (int s = 0; s < SERIES; s++) {
      Random r = new Random(7000 + s);
      int n = s < 6 ? 1 + s % 3 : 100 + r.nextInt(400);
      long[] ts = timestamps(r, base + r.nextInt(1000), n);
      long[] vs = values(r, n);
      times.add(ts);
      values.add(vs);
      Proto series = new Proto();
      series.message(1, Proto.label("__name__", METRIC));
      series.message(1, Proto.label("series", id(s)));
      for (int i = 0; i < n; i++) {
        Proto sample = new Proto();
        sample.fixed64(1, vs[i]);
        sample.varint(2, ts[i]);
        series.message(2, sample);
      }
      write.message(1, series);
    }

    Outcome o = new Outcome(release.toString());
    try (Prometheus p = Prometheus.in(release, tmp.resolve("prom")).start()) {
      HttpResponse<String> wr = p.write(write.bytes());
      assertEquals(204, wr.statusCode(), () -> "remote write: " + wr.body());
      Map<String, List<RemoteReadChunks.Chunk>> actual = RemoteReadChunks.read(p.base(), METRIC);
      assertEquals(SERIES, actual.size());
      for (int s = 0; s < SERIES; s++) {
        List<RemoteReadChunks.Chunk> got = actual.get(id(s));
        checkSeries(release, id(s), times.get(s), values.get(s), got, o);
      }
    }
    System.out.println("XorChunkPrometheusIT " + o);
    return o;
  }

  private static void checkSeries(PrometheusRelease release, String id, long[] ts, long[] vs,
      List<RemoteReadChunks.Chunk> got, Outcome o) {
    // Ours, cut where Prometheus cut (the sample counts in its chunk headers).
    List<byte[]> ours = new ArrayList<>();
    int from = 0;
    for (RemoteReadChunks.Chunk c : got) {
      assertEquals(1, c.encoding(), "encoding of a chunk of series " + id);
      int n = XorChunk.numSamples(c.data(), 0);
      XorAppender a = new XorAppender();
      for (int i = from; i < from + n; i++) {
        a.append(ts[i], Double.longBitsToDouble(vs[i]));
      }
      ours.add(a.toBytes());
      assertDecodes(c.data(), ts, vs, from, id);
      from += n;
    }
    assertEquals(ts.length, from, "samples in the chunks of series " + id);

    for (int i = 0; i < got.size(); i++) {
      byte[] theirs = got.get(i).data();
      byte[] mine = ours.get(i);
      o.chunks++;
      if (Arrays.equals(theirs, mine)) {
        o.identical++;
        continue;
      }
      String where = release + " series " + id + " chunk " + i + "\n ours   " + hex(mine)
          + "\n theirs " + hex(theirs);
      assertTrue(theirs.length == mine.length + 1 && theirs[mine.length] == 0
          && Arrays.equals(theirs, 0, mine.length, mine, 0, mine.length), where);
      XorIterator it = new XorIterator().reset(mine, 0, mine.length);
      while (it.next() != ValueType.NONE) {
        // to the end, for the bit count
      }
      assertEquals(0, it.bitsConsumed() % 8, "extra byte after a partial byte: " + where);
      boolean many = XorChunk.numSamples(mine, 0) > 1;
      if (many) {
        o.extraAfterManySamples++;
      }
      if (o.extraZeroByte++ == 0 || (many && o.extraAfterManySamples <= 2)) {
        o.example += "\n  e.g. " + (theirs.length < 64 ? where : "series " + id + " chunk " + i
            + ": ours ends ..." + hex(Arrays.copyOfRange(mine, mine.length - 8, mine.length))
            + ", theirs ..." + hex(Arrays.copyOfRange(theirs, theirs.length - 9, theirs.length)));
      }
    }

    if (release == PrometheusRelease.V3_5) {
      HeadChunkCutter cutter = new HeadChunkCutter();
      for (int i = 0; i < ts.length; i++) {
        cutter.append(ts[i], Double.longBitsToDouble(vs[i]));
      }
      assertEquals(RemoteReadChunks.hex(ours), RemoteReadChunks.hex(cutter.chunks()),
          "head chunk cuts of series " + id);
      o.cutsChecked++;
      o.sizeCuts += cutter.sizeCuts;
      o.timeCuts += cutter.timeCuts;
    }
  }

  /** The chunk, with or without a trailing zero byte, holds exactly the samples sent. */
  private static void assertDecodes(byte[] chunk, long[] ts, long[] vs, int from, String id) {
    XorIterator it = new XorIterator().reset(chunk, 0, chunk.length);
    int i = from;
    while (it.next() == ValueType.FLOAT) {
      assertEquals(ts[i], it.t(), "series " + id + " sample " + i);
      assertEquals(vs[i], Double.doubleToRawLongBits(it.v()), "series " + id + " sample " + i);
      i++;
    }
    assertNull(it.error());
    assertEquals(from + XorChunk.numSamples(chunk, 0), i);
  }

  private static String id(int s) {
    return String.format("%03d", s);
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** Increasing timestamps: steady, jittered, with rare big gaps, over at most SPAN ms. */
  private static long[] timestamps(Random r, long start, int n) {
    long step = Math.max(1, (SPAN * 3 / 4) / n);
    long[] steps = {1, 10, 1000, Math.min(step, 15_000), step};
    long interval = steps[r.nextInt(steps.length)];
    int jitter = r.nextInt(4); // 0: none, 1: +-2ms, 2: +-1s, 3: anything up to 2 intervals
    long[] ts = new long[n];
    long t = start;
    long budget = start + SPAN;
    for (int i = 0; i < n; i++) {
      long d = interval;
      switch (jitter) {
        case 1 -> d += r.nextInt(5) - 2;
        case 2 -> d += r.nextInt(2001) - 1000;
        case 3 -> d = 1 + (long) (r.nextDouble() * 2 * interval);
        default -> { }
      }
      if (r.nextInt(50) == 0) {
        d += r.nextInt(3) == 0 ? 1 + r.nextInt(600_000) : r.nextInt(20_000); // a gap
      }
      d = Math.max(1, d);
      // Stays inside the span, leaving room for the rest of the series.
      t = Math.min(t + d, budget - (n - i));
      if (i > 0 && t <= ts[i - 1]) {
        t = ts[i - 1] + 1;
      }
      ts[i] = t;
    }
    return ts;
  }

  /** Raw float64 bits in one of several styles, with specials sprinkled in. */
  private static long[] values(Random r, int n) {
    int style = r.nextInt(6);
    long[] vs = new long[n];
    double v = r.nextInt(1000);
    for (int i = 0; i < n; i++) {
      switch (style) {
        case 0 -> v += r.nextInt(3) == 0 ? 0 : r.nextInt(100); // counter with repeats
        case 1 -> v = r.nextInt(4) == 0 ? v : r.nextGaussian() * 1e3; // gauge with repeats
        case 2 -> v = Double.longBitsToDouble(r.nextLong()); // any bits (NaNs too)
        case 3 -> v = r.nextInt(5); // small ints
        case 4 -> v = Math.scalb(r.nextDouble(), r.nextInt(2000) - 1000); // tiny to huge
        default -> v += r.nextDouble() * 1e-9; // changes in the last mantissa bits
      }
      long bits = Double.doubleToRawLongBits(v);
      switch (r.nextInt(40)) {
        case 0 -> bits = STALE_NAN;
        case 1 -> bits = GO_NAN;
        case 2 -> bits = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
        case 3 -> bits = Double.doubleToRawLongBits(-0.0);
        case 4 -> bits = Double.doubleToRawLongBits(Double.MIN_VALUE);
        default -> { }
      }
      vs[i] = bits;
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        v = r.nextInt(1000); // keep the next steps finite
      }
    }
    return vs;
  }
}

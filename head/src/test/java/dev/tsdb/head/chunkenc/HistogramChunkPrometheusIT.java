package dev.tsdb.head.chunkenc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.testkit.process.HttpEndpoint;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32C;
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
      series.message(1, label("__name__", METRIC));
      series.message(1, label("series", id));
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
      Map<String, List<byte[]>> actual = new TreeMap<>();
      Map<String, List<Integer>> actualTypes = new TreeMap<>();
      readChunks(p.base(), actual, actualTypes);
      assertEquals(expected.keySet(), actual.keySet());
      int chunks = 0;
      int recodedOrCut = 0;
      for (String id : expected.keySet()) {
        List<byte[]> want = expected.get(id);
        List<byte[]> got = actual.get(id);
        List<String> w = hex(want);
        List<String> g = hex(got);
        assertEquals(w, g, "series " + id);
        for (int type : actualTypes.get(id)) {
          assertEquals((int) types.get(id), type, "chunk encoding of series " + id);
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

  private static List<String> hex(List<byte[]> chunks) {
    List<String> out = new ArrayList<>();
    for (byte[] c : chunks) {
      out.add(HexFormat.of().formatHex(c));
    }
    return out;
  }

  // ---- remote read, STREAMED_XOR_CHUNKS ----

  private static void readChunks(String base, Map<String, List<byte[]>> out,
      Map<String, List<Integer>> types) throws Exception {
    Proto matcher = new Proto();
    matcher.varint(1, 0); // EQ
    matcher.string(2, "__name__");
    matcher.string(3, METRIC);
    Proto query = new Proto();
    query.varint(1, 0);
    // The head reports its open chunk as ending at MaxInt64; any smaller end makes Prometheus
    // trim, i.e. re-encode, that chunk instead of sending its bytes.
    query.varint(2, Long.MAX_VALUE);
    query.message(3, matcher);
    Proto req = new Proto();
    req.message(1, query);
    req.varint(2, 1); // accepted_response_types: STREAMED_XOR_CHUNKS
    HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/api/v1/read"))
        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
        .header("X-Prometheus-Remote-Read-Version", "0.1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(HttpEndpoint.snappy(req.bytes()))).build();
    HttpResponse<byte[]> resp = HttpClient.newHttpClient().send(r,
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, resp.statusCode(), () -> new String(resp.body()));
    byte[] body = resp.body();
    assertEquals("application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse",
        resp.headers().firstValue("Content-Type").orElse(""), () -> "body " + body.length + ": "
        + HexFormat.of().formatHex(body, 0, Math.min(64, body.length)));
    int[] pos = {0};
    while (pos[0] < body.length) {
      int len = (int) uvarint(body, pos);
      long crc = ((body[pos[0]] & 0xffL) << 24) | ((body[pos[0] + 1] & 0xff) << 16)
          | ((body[pos[0] + 2] & 0xff) << 8) | (body[pos[0] + 3] & 0xff);
      pos[0] += 4;
      CRC32C c = new CRC32C();
      c.update(body, pos[0], len);
      assertEquals(crc, c.getValue(), "frame checksum");
      parseResponse(body, pos[0], pos[0] + len, out, types);
      pos[0] += len;
    }
  }

  private static void parseResponse(byte[] b, int from, int to, Map<String, List<byte[]>> out,
      Map<String, List<Integer>> types) {
    for (Field f : fields(b, from, to)) {
      if (f.num != 1) {
        continue; // query_index
      }
      String id = null;
      List<byte[]> chunks = new ArrayList<>();
      List<Integer> ts = new ArrayList<>();
      for (Field sf : fields(b, f.from, f.to)) {
        if (sf.num == 1) {
          String name = null;
          String value = null;
          for (Field lf : fields(b, sf.from, sf.to)) {
            String s = new String(b, lf.from, lf.to - lf.from, java.nio.charset.StandardCharsets.UTF_8);
            if (lf.num == 1) {
              name = s;
            } else {
              value = s;
            }
          }
          if ("series".equals(name)) {
            id = value;
          }
        } else if (sf.num == 2) {
          for (Field cf : fields(b, sf.from, sf.to)) {
            if (cf.num == 3) {
              ts.add((int) cf.value);
            } else if (cf.num == 4) {
              chunks.add(java.util.Arrays.copyOfRange(b, cf.from, cf.to));
            }
          }
        }
      }
      out.computeIfAbsent(id, k -> new ArrayList<>()).addAll(chunks);
      types.computeIfAbsent(id, k -> new ArrayList<>()).addAll(ts);
    }
  }

  private record Field(int num, long value, int from, int to) {}

  private static List<Field> fields(byte[] b, int from, int to) {
    List<Field> out = new ArrayList<>();
    int[] pos = {from};
    while (pos[0] < to) {
      long key = uvarint(b, pos);
      int num = (int) (key >>> 3);
      switch ((int) (key & 7)) {
        case 0 -> out.add(new Field(num, uvarint(b, pos), 0, 0));
        case 1 -> pos[0] += 8;
        case 5 -> pos[0] += 4;
        case 2 -> {
          int len = (int) uvarint(b, pos);
          out.add(new Field(num, 0, pos[0], pos[0] + len));
          pos[0] += len;
        }
        default -> throw new IllegalStateException("wire type " + (key & 7));
      }
    }
    return out;
  }

  private static long uvarint(byte[] b, int[] pos) {
    long x = 0;
    for (int shift = 0; ; shift += 7) {
      int v = b[pos[0]++] & 0xff;
      x |= (long) (v & 0x7f) << shift;
      if (v < 0x80) {
        return x;
      }
    }
  }

  // ---- remote write ----

  private static Proto label(String name, String value) {
    Proto l = new Proto();
    l.string(1, name);
    l.string(2, value);
    return l;
  }

  private static Proto intHistogram(long t, Histogram h) {
    Proto p = new Proto();
    p.varint(1, h.count);
    p.fixed64(3, Double.doubleToRawLongBits(h.sum));
    p.varint(4, zigzag(h.schema));
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
    p.varint(4, zigzag(h.schema));
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
      s.varint(1, zigzag(spans[i]));
      s.varint(2, spans[i + 1]);
      p.message(field, s);
    }
  }

  private static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  /** A minimal protobuf writer. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void rawVarint(long v) {
      while ((v & ~0x7fL) != 0) {
        out.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    void varint(int field, long v) {
      rawVarint((long) field << 3);
      rawVarint(v);
    }

    void fixed64(int field, long v) {
      rawVarint((long) field << 3 | 1);
      for (int i = 0; i < 8; i++) {
        out.write((int) (v >>> (8 * i)));
      }
    }

    void bytes(int field, byte[] b) {
      rawVarint((long) field << 3 | 2);
      rawVarint(b.length);
      out.writeBytes(b);
    }

    void string(int field, String s) {
      bytes(field, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    void message(int field, Proto m) {
      bytes(field, m.bytes());
    }

    void packedSint(int field, long[] vs) {
      if (vs.length == 0) {
        return;
      }
      Proto p = new Proto();
      for (long v : vs) {
        p.rawVarint(zigzag(v));
      }
      bytes(field, p.bytes());
    }

    void packedDouble(int field, double[] vs) {
      if (vs.length == 0) {
        return;
      }
      Proto p = new Proto();
      for (double v : vs) {
        long bits = Double.doubleToRawLongBits(v);
        for (int i = 0; i < 8; i++) {
          p.out.write((int) (bits >>> (8 * i)));
        }
      }
      bytes(field, p.bytes());
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}

package dev.tsdb.blocks;

import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.chunkenc.XorAppender;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Generated series with known samples, and helpers to encode and read them back. */
final class BlockTestData {
  /** Samples of one series: parallel arrays. */
  record Samples(long[] ts, double[] vs) {}

  private BlockTestData() {}

  static Map<Labels, Samples> generate(int numSeries, int maxSamples, long seed) {
    Random rnd = new Random(seed);
    Map<Labels, Samples> out = new TreeMap<>();
    String[] metrics = {"up", "http_requests_total", "process_cpu_seconds_total", "go_goroutines"};
    while (out.size() < numSeries) {
      List<String> nv = new ArrayList<>(List.of(
          "__name__", metrics[rnd.nextInt(metrics.length)],
          "instance", "10.0.0." + rnd.nextInt(40) + ":9100",
          "job", rnd.nextBoolean() ? "node" : "api"));
      if (rnd.nextInt(3) == 0) {
        nv.add("code");
        nv.add(String.valueOf(200 + rnd.nextInt(4) * 100));
      }
      if (rnd.nextInt(5) == 0) {
        nv.add("path");
        nv.add("/api/v1/" + (char) ('a' + rnd.nextInt(26)));
      }
      Labels l = Labels.of(nv.toArray(new String[0]));
      int n = 1 + rnd.nextInt(maxSamples);
      long[] ts = new long[n];
      double[] vs = new double[n];
      long t = 1_700_000_000_000L + rnd.nextInt(100_000);
      double v = rnd.nextInt(100);
      for (int i = 0; i < n; i++) {
        ts[i] = t;
        vs[i] = rnd.nextInt(20) == 0 ? Double.NaN : v;
        t += 15_000 + (rnd.nextInt(10) == 0 ? rnd.nextInt(5000) - 2500 : 0);
        v += rnd.nextBoolean() ? rnd.nextInt(10) : rnd.nextDouble();
      }
      out.put(l, new Samples(ts, vs));
    }
    return out;
  }

  /** XOR chunks of at most {@code perChunk} samples. */
  static List<ChunkMeta> chunks(Samples s, int perChunk) {
    List<ChunkMeta> out = new ArrayList<>();
    for (int from = 0; from < s.ts.length; from += perChunk) {
      int to = Math.min(s.ts.length, from + perChunk);
      XorAppender a = new XorAppender();
      for (int i = from; i < to; i++) {
        a.append(s.ts[i], s.vs[i]);
      }
      out.add(new ChunkMeta(s.ts[from], s.ts[to - 1], ChunkEncoding.XOR,
          ByteBuffer.wrap(a.toBytes())));
    }
    return out;
  }

  static Map<Labels, List<ChunkMeta>> chunked(Map<Labels, Samples> data, int perChunk) {
    Map<Labels, List<ChunkMeta>> out = new LinkedHashMap<>();
    data.forEach((l, s) -> out.put(l, chunks(s, perChunk)));
    return out;
  }

  /** Reads a select into labels -> "t=v" strings (values by bits, so NaN compares equal). */
  static Map<Labels, List<String>> read(Querier q, Matcher... ms) {
    SeriesSet ss = q.select(true, null, ms);
    Map<Labels, List<String>> out = new LinkedHashMap<>();
    SampleIterator reuse = null;
    while (ss.next()) {
      List<String> samples = new ArrayList<>();
      reuse = ss.at().iterator(reuse);
      while (reuse.next() != ValueType.NONE) {
        samples.add(reuse.t() + "=" + Long.toHexString(Double.doubleToRawLongBits(reuse.v())));
      }
      if (reuse.error() != null) {
        throw new AssertionError("iterator error", reuse.error());
      }
      out.put(ss.at().labels(), samples);
    }
    if (ss.error() != null) {
      throw new AssertionError("series set error", ss.error());
    }
    return out;
  }
}

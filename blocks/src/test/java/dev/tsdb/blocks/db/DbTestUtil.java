package dev.tsdb.blocks.db;

import dev.tsdb.blocks.BlockMeta;
import dev.tsdb.blocks.BlockWriter;
import dev.tsdb.blocks.Ulid;
import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.chunkenc.XorAppender;
import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.Storage;
import dev.tsdb.index.storage.ValueType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongToDoubleFunction;

/** Helpers for database tests: known data written as blocks or appended, read back exactly. */
final class DbTestUtil {
  static final long H = DbOptions.HOUR;

  private DbTestUtil() {}

  /** Expected data: labels -> timestamp -> value. */
  static final class Data {
    final TreeMap<Labels, TreeMap<Long, Double>> series = new TreeMap<>(Utf8Order::compare);

    void put(Labels l, long t, double v) {
      series.computeIfAbsent(l, k -> new TreeMap<>()).put(t, v);
    }

    void putAll(Data o) {
      o.series.forEach((l, m) -> m.forEach((t, v) -> put(l, t, v)));
    }

    /** Drops [mint, maxt] of the given series. */
    void delete(Labels l, long mint, long maxt) {
      TreeMap<Long, Double> m = series.get(l);
      if (m != null) {
        m.subMap(mint, true, maxt, true).clear();
        if (m.isEmpty()) {
          series.remove(l);
        }
      }
    }

    Data range(long mint, long maxt) {
      Data d = new Data();
      series.forEach((l, m) -> m.subMap(mint, true, maxt, true).forEach((t, v) -> d.put(l, t, v)));
      return d;
    }

    long samples() {
      long n = 0;
      for (TreeMap<Long, Double> m : series.values()) {
        n += m.size();
      }
      return n;
    }

    Map<Labels, List<String>> asStrings() {
      Map<Labels, List<String>> out = new TreeMap<>(Utf8Order::compare);
      series.forEach((l, m) -> {
        List<String> s = new ArrayList<>();
        m.forEach((t, v) -> s.add(t + "=" + v));
        out.put(l, s);
      });
      return out;
    }
  }

  static Labels series(int i) {
    return Labels.of("__name__", "metric_" + (i % 3), "instance", "host-" + i, "job", "test");
  }

  /** Samples every {@code step} ms in [from, to) for series 0..n-1, value f(t) + series. */
  static Data generate(int n, long from, long to, long step, LongToDoubleFunction f) {
    Data d = new Data();
    for (int i = 0; i < n; i++) {
      for (long t = from; t < to; t += step) {
        d.put(series(i), t, f.applyAsDouble(t) + i);
      }
    }
    return d;
  }

  /** Writes data as a level-1 block with meta range [mint, maxt). */
  static BlockMeta writeBlock(Path dir, Data d, long mint, long maxt) throws IOException {
    return writeBlock(dir, d, mint, maxt, 1, List.of());
  }

  static BlockMeta writeBlock(Path dir, Data d, long mint, long maxt, int level,
      List<BlockMeta.Parent> parents) throws IOException {
    TreeSet<String> symbols = new TreeSet<>(Utf8Order::compare);
    d.series.keySet().forEach(l -> l.forEach((n, v) -> {
      symbols.add(n);
      symbols.add(v);
    }));
    Ulid id = Ulid.generate();
    try (BlockWriter w = BlockWriter.create(dir, id)) {
      w.addSortedSymbols(symbols);
      for (Map.Entry<Labels, TreeMap<Long, Double>> e : d.series.entrySet()) {
        List<ChunkMeta> chunks = new ArrayList<>();
        XorAppender a = null;
        long first = 0;
        long last = 0;
        for (Map.Entry<Long, Double> s : e.getValue().entrySet()) {
          if (a == null) {
            a = new XorAppender();
            first = s.getKey();
          }
          a.append(s.getKey(), s.getValue());
          last = s.getKey();
          if (a.numSamples() == 120) {
            chunks.add(new ChunkMeta(first, last, ChunkEncoding.XOR, ByteBuffer.wrap(a.toBytes())));
            a = null;
          }
        }
        if (a != null) {
          chunks.add(new ChunkMeta(first, last, ChunkEncoding.XOR, ByteBuffer.wrap(a.toBytes())));
        }
        w.addSeries(e.getKey(), chunks);
      }
      return w.commit(mint, maxt,
          new BlockMeta.Compaction(level, List.of(id.toString()), false, parents, false, List.of()));
    }
  }

  static void append(Storage s, Data d) throws Exception {
    Appender a = s.appender();
    // Time-major order, as scrapes arrive.
    TreeMap<Long, List<Map.Entry<Labels, Double>>> byTime = new TreeMap<>();
    d.series.forEach((l, m) -> m.forEach((t, v) ->
        byTime.computeIfAbsent(t, k -> new ArrayList<>()).add(Map.entry(l, v))));
    int n = 0;
    for (Map.Entry<Long, List<Map.Entry<Labels, Double>>> e : byTime.entrySet()) {
      for (Map.Entry<Labels, Double> s2 : e.getValue()) {
        a.append(0, s2.getKey(), e.getKey(), s2.getValue());
        if (++n % 1000 == 0) {
          a.commit();
        }
      }
    }
    a.commit();
  }

  /** Everything a querier returns for the matchers (default: all series of job="test"). */
  static Data read(Querier q, Matcher... ms) {
    return read(q, null, ms);
  }

  /** Everything a select with these hints returns (default matcher: all series of job="test"). */
  static Data read(Querier q, SelectHints hints, Matcher... ms) {
    if (ms.length == 0) {
      ms = new Matcher[] {Matcher.eq("job", "test")};
    }
    Data d = new Data();
    SeriesSet set = q.select(true, hints, ms);
    SampleIterator it = null;
    Labels prev = null;
    while (set.next()) {
      Labels l = set.at().labels();
      if (prev != null && Utf8Order.compare(prev, l) >= 0) {
        throw new AssertionError("series out of order or repeated: " + prev + " then " + l);
      }
      prev = l;
      it = set.at().iterator(it);
      long lastT = Long.MIN_VALUE;
      while (it.next() != ValueType.NONE) {
        if (it.t() <= lastT) {
          throw new AssertionError("samples out of order or repeated in " + l + " at " + it.t());
        }
        lastT = it.t();
        d.put(l, it.t(), it.v());
      }
      if (it.error() != null) {
        throw new AssertionError(it.error());
      }
    }
    if (set.error() != null) {
      throw new AssertionError(set.error());
    }
    return d;
  }

  static Data readAll(Storage s) throws IOException {
    try (Querier q = s.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return read(q);
    }
  }

  /** Options for tests: no background thread, a clock far in the future, no retention. */
  static DbOptions testOptions() {
    return new DbOptions().compactionIntervalMs(0).retentionTimeMs(0)
        .maxFutureMs(Long.MAX_VALUE / 4);
  }
}

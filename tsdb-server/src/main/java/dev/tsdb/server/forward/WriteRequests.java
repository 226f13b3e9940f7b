package dev.tsdb.server.forward;

import dev.tsdb.api.remote.PromPb;
import dev.tsdb.api.remote.PromPbV2;
import io.airlift.compress.snappy.SnappyCompressor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes a batch of {@link ForwardItem}s as a snappy-compressed remote-write body: a 1.0
 * {@code prometheus.WriteRequest} or a 2.0 {@code io.prometheus.write.v2.Request} (with each
 * series' metadata), one TimeSeries per series in the batch holding its samples in WAL order.
 * The protobuf encoding is api.remote's ({@link PromPb}, {@link PromPbV2}).
 */
final class WriteRequests {
  private WriteRequests() {}

  /** The uncompressed protobuf message for {@code items}. */
  static byte[] encode(List<ForwardItem> items, boolean v2,
      java.util.function.LongFunction<SeriesCache.Meta> meta) {
    Map<Long, SeriesBuilder> bySeries = new LinkedHashMap<>();
    for (ForwardItem it : items) {
      bySeries.computeIfAbsent(it.ref, r -> new SeriesBuilder(it)).add(it);
    }
    if (!v2) {
      List<PromPb.Series> series = new ArrayList<>(bySeries.size());
      for (SeriesBuilder b : bySeries.values()) {
        series.add(b.build());
      }
      return PromPb.writeRequest(series, List.of());
    }
    List<PromPbV2.Series> series = new ArrayList<>(bySeries.size());
    for (SeriesBuilder b : bySeries.values()) {
      PromPbV2.Series s = PromPbV2.Series.of(b.build());
      SeriesCache.Meta m = meta.apply(b.first.ref);
      if (m != null) {
        s = s.withMetadata(m.type(), m.help(), m.unit());
      }
      series.add(s);
    }
    return PromPbV2.request(series);
  }

  /** A 1.0 request holding only metadata entries. */
  static byte[] metadata(List<PromPb.Metadata> entries) {
    return PromPb.writeRequest(List.of(), entries);
  }

  /** Snappy block format, as remote write sends bodies. */
  static byte[] snappy(byte[] raw) {
    SnappyCompressor c = new SnappyCompressor();
    byte[] out = new byte[c.maxCompressedLength(raw.length)];
    int n = c.compress(raw, 0, raw.length, out, 0, out.length);
    return Arrays.copyOf(out, n);
  }

  /** Collects one series' items of a batch. */
  private static final class SeriesBuilder {
    final ForwardItem first;
    long[] ts = new long[4];
    double[] vs = new double[4];
    int n;
    final List<PromPb.NativeHistogram> histograms = new ArrayList<>();
    final List<PromPb.Exemplar> exemplars = new ArrayList<>();

    SeriesBuilder(ForwardItem first) {
      this.first = first;
    }

    void add(ForwardItem it) {
      switch (it.kind) {
        case SAMPLE -> {
          if (n == ts.length) {
            ts = Arrays.copyOf(ts, n * 2);
            vs = Arrays.copyOf(vs, n * 2);
          }
          ts[n] = it.t;
          vs[n] = it.v;
          n++;
        }
        case HISTOGRAM -> histograms.add(it.h != null ? PromPb.NativeHistogram.of(it.t, it.h)
            : PromPb.NativeHistogram.of(it.t, it.fh));
        case EXEMPLAR -> {
          String[] nv = new String[it.exemplarLabels.size() * 2];
          for (int i = 0; i < it.exemplarLabels.size(); i++) {
            nv[2 * i] = it.exemplarLabels.name(i);
            nv[2 * i + 1] = it.exemplarLabels.value(i);
          }
          exemplars.add(new PromPb.Exemplar(nv, it.v, it.t));
        }
        default -> throw new IllegalStateException(String.valueOf(it.kind));
      }
    }

    PromPb.Series build() {
      return PromPb.Series.of(first.labels, Arrays.copyOf(ts, n), Arrays.copyOf(vs, n))
          .withHistograms(histograms).withExemplars(exemplars);
    }
  }
}

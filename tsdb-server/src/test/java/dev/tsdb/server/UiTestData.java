package dev.tsdb.server;

import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * What the browser tests look at, as one remote-write request: ui_requests_total for jobs api
 * (0, 3, ..., 57) and web (0, 1, ..., 19), and a native histogram ui_latency_seconds, all 20
 * points 15 s apart ending at {@code now}.
 */
final class UiTestData {
  static final int POINTS = 20;

  private UiTestData() {}

  static byte[] writeRequest(long now) {
    List<PromPb.Series> series = new ArrayList<>();
    for (String job : List.of("api", "web")) {
      long[] ts = new long[POINTS];
      double[] vs = new double[POINTS];
      for (int i = 0; i < POINTS; i++) {
        ts[i] = now - (POINTS - 1 - i) * 15_000L;
        vs[i] = i * (job.equals("api") ? 3 : 1);
      }
      series.add(PromPb.Series.of(Labels.of("__name__", "ui_requests_total", "job", job), ts,
          vs));
    }
    series.add(PromPb.Series.of(Labels.of("__name__", "ui_latency_seconds", "job", "api"),
        new long[0], new double[0]).withHistograms(latencies(now)));
    return PromPb.writeRequest(series, List.of());
  }

  /**
   * A growing counter histogram (schema 0: buckets (0.25,0.5], (0.5,1], (1,2], (2,4]) plus
   * a zero bucket; the last one has count 10 * 19 + 19 = 209.
   */
  private static List<PromPb.NativeHistogram> latencies(long now) {
    List<PromPb.NativeHistogram> out = new ArrayList<>();
    for (int i = 0; i < POINTS; i++) {
      Histogram h = new Histogram();
      h.schema = 0;
      h.zeroThreshold = 0.001;
      h.zeroCount = i;
      h.positiveSpans = new int[] {-1, 4};
      // Deltas of the bucket counts i, 4i, 3i, 2i.
      h.positiveBuckets = new long[] {i, 3L * i, -i, -i};
      h.count = h.zeroCount + 10L * i;
      h.sum = 14.5 * i;
      out.add(PromPb.NativeHistogram.of(now - (POINTS - 1 - i) * 15_000L, h));
    }
    return out;
  }
}

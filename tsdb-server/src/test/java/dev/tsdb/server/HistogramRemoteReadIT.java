package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.testkit.process.HttpEndpoint;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native histograms end to end through our server: remote-written to us, then read back by
 * Prometheus 3.5 through remote_read (it negotiates streamed chunks: histogram and float
 * histogram chunks as our head holds them). Prometheus's answers over our data must equal our
 * own answers to the same queries, byte for byte.
 */
class HistogramRemoteReadIT {
  @TempDir
  Path dir;

  private static final long T0 = System.currentTimeMillis() / 60_000 * 60_000 - 3_600_000;

  @Test
  void prometheusReadsOurHistograms() throws Exception {
    try (TestServer ts = new TestServer(dir.resolve("tsdb"))) {
      assertEquals(204, ts.write(PromPb.writeRequest(List.of(
          PromPb.Series.of(Labels.of("__name__", "rr_hist", "kind", "int"), new long[0],
              new double[0]).withHistograms(counter()),
          PromPb.Series.of(Labels.of("__name__", "rr_hist", "kind", "gauge"), new long[0],
              new double[0]).withHistograms(gauges()),
          PromPb.Series.of(Labels.of("__name__", "rr_hist", "kind", "custom"), new long[] {T0},
              new double[] {4}).withHistograms(List.of(PromPb.NativeHistogram.of(T0 + 15_000,
                  custom())))), List.of())).statusCode());
      try (Prometheus prom = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("prom"))
          .config("remote_read:\n  - url: " + ts.base + "/api/v1/read\n    read_recent: true\n")
          .start()) {
        for (String q : List.of(
            "/api/v1/query?query=rr_hist&time=" + seconds(T0 + 20_000),
            "/api/v1/query?query=" + HttpEndpoint.enc("rr_hist[1m]") + "&time="
                + seconds(T0 + 45_000),
            "/api/v1/query_range?query=rr_hist&start=" + seconds(T0) + "&end="
                + seconds(T0 + 60_000) + "&step=15")) {
          HttpResponse<String> theirs = prom.get(q);
          HttpResponse<String> ours = ts.get(q);
          assertEquals(200, theirs.statusCode(), theirs.body());
          assertEquals(ours.body(), theirs.body(), q);
        }
      }
    }
  }

  private static String seconds(long ms) {
    return String.valueOf(ms / 1000.0);
  }

  /** An integer counter histogram growing every 15 s, with a bucket appearing on the way. */
  private static List<PromPb.NativeHistogram> counter() {
    List<PromPb.NativeHistogram> out = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Histogram h = new Histogram();
      h.schema = 1;
      h.zeroThreshold = 0.001;
      h.zeroCount = i;
      h.positiveSpans = i < 2 ? new int[] {0, 2} : new int[] {0, 3};
      h.positiveBuckets = i < 2 ? new long[] {1 + i, 1} : new long[] {1 + i, 1, -1};
      h.negativeSpans = new int[] {1, 1};
      h.negativeBuckets = new long[] {i};
      long count = h.zeroCount + i;
      long c = 0;
      for (long d : h.positiveBuckets) {
        c += d;
        count += c;
      }
      h.count = count;
      h.sum = 2.5 * (i + 1);
      out.add(PromPb.NativeHistogram.of(T0 + i * 15_000L, h));
    }
    return out;
  }

  /** Float gauge histograms that go up and down. */
  private static List<PromPb.NativeHistogram> gauges() {
    List<PromPb.NativeHistogram> out = new ArrayList<>();
    double[][] buckets = {{1.5, 0.5}, {0.25, 3}, {2, 2}};
    for (int i = 0; i < buckets.length; i++) {
      FloatHistogram h = new FloatHistogram();
      h.schema = 0;
      h.counterResetHint = CounterResetHint.GAUGE;
      h.positiveSpans = new int[] {-1, 2};
      h.positiveBuckets = buckets[i];
      h.count = buckets[i][0] + buckets[i][1];
      h.sum = -1.5 + i;
      out.add(PromPb.NativeHistogram.of(T0 + i * 20_000L, h));
    }
    return out;
  }

  private static Histogram custom() {
    Histogram h = new Histogram();
    h.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
    h.customValues = new double[] {0.5, 1, 10};
    h.positiveSpans = new int[] {0, 2, 1, 1};
    h.positiveBuckets = new long[] {2, 1, -2};
    h.count = 2 + 3 + 1;
    h.sum = 17;
    return h;
  }
}

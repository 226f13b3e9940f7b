package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.testkit.process.HttpEndpoint;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Out-of-order native histograms against Prometheus 3.5 with the same out_of_order_time_window:
 * the same remote writes (in-order histograms, then late ones within the window, one too old)
 * get the same status codes, the same query answers byte for byte, and the same per-type
 * self-metrics (samples appended, out-of-order appended, too old).
 */
class HistogramOutOfOrderIT {
  private static final String CONFIG = "storage:\n  tsdb:\n    out_of_order_time_window: 30m\n";
  private static final long T0 = System.currentTimeMillis() / 60_000 * 60_000 - 3_600_000;
  private static final int N = 40;
  private static final Pattern TYPED = Pattern.compile(
      "^(prometheus_tsdb_(?:head_samples_appended|head_out_of_order_samples_appended"
          + "|too_old_samples|out_of_order_samples)_total)\\{type=\"(\\w+)\"} (\\S+)$",
      Pattern.MULTILINE);

  @TempDir
  Path dir;

  /** Sample i of a growing integer counter histogram (a bucket appears on the way). */
  private static Histogram counter(int i) {
    Histogram h = new Histogram();
    h.schema = 0;
    h.zeroThreshold = 0.001;
    h.zeroCount = i;
    h.positiveSpans = i < N / 2 ? new int[] {0, 2} : new int[] {0, 3};
    // Bucket counts i and i + 1, then a third bucket of 1: never a counter reset.
    h.positiveBuckets = i < N / 2 ? new long[] {i, 1} : new long[] {i, 1, -i};
    h.count = h.zeroCount + (i < N / 2 ? 2L * i + 1 : 2L * i + 2);
    h.sum = 1.5 * i;
    return h;
  }

  private static FloatHistogram floatCounter(int i) {
    FloatHistogram f = FloatHistogram.of(counter(i), null);
    f.sum += 0.25;
    return f;
  }

  /** Samples i of both series whose index passes {@code which}, one request. */
  private static byte[] request(java.util.function.IntPredicate which) {
    List<PromPb.NativeHistogram> ints = new ArrayList<>();
    List<PromPb.NativeHistogram> floats = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      if (which.test(i)) {
        ints.add(PromPb.NativeHistogram.of(T0 + i * 15_000L, counter(i)));
        floats.add(PromPb.NativeHistogram.of(T0 + i * 15_000L, floatCounter(i)));
      }
    }
    return PromPb.writeRequest(List.of(
        PromPb.Series.of(Labels.of("__name__", "ooo_hist", "kind", "int"), new long[0],
            new double[0]).withHistograms(ints),
        PromPb.Series.of(Labels.of("__name__", "ooo_hist", "kind", "float"), new long[0],
            new double[0]).withHistograms(floats)), List.of());
  }

  private static String seconds(long ms) {
    return String.valueOf(ms / 1000.0);
  }

  /** The per-type head counters of a /metrics text, as name{type} -> value. */
  private static Map<String, Double> typed(String metrics) {
    Map<String, Double> out = new TreeMap<>();
    Matcher m = TYPED.matcher(metrics);
    while (m.find()) {
      out.put(m.group(1) + "{" + m.group(2) + "}", Double.parseDouble(m.group(3)));
    }
    return out;
  }

  /** Equal bodies; on a difference, the message shows where (the bodies are long). */
  private static void assertSameBody(String theirs, String mine, String query) {
    int i = 0;
    while (i < Math.min(theirs.length(), mine.length()) && theirs.charAt(i) == mine.charAt(i)) {
      i++;
    }
    if (i < theirs.length() || i < mine.length()) {
      int from = Math.max(0, i - 300);
      assertEquals(theirs.substring(from, Math.min(theirs.length(), i + 200)),
          mine.substring(from, Math.min(mine.length(), i + 200)), query + " at " + i);
    }
  }

  @Test
  void outOfOrderHistogramsAsPrometheus35() throws Exception {
    Path ours = dir.resolve("tsdb");
    Files.createDirectories(ours);
    Files.writeString(ours.resolve("prometheus.yml"), CONFIG);
    try (TestServer ts = new TestServer(ours);
        Prometheus prom = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("prom"))
            .config(CONFIG).flags("--enable-feature=native-histograms").start()) {
      List<byte[]> writes = new ArrayList<>();
      writes.add(request(i -> i % 3 != 1)); // in order, with gaps
      for (int r = 0; r < 3; r++) {
        int from = r * N / 3;
        int to = (r + 1) * N / 3;
        writes.add(request(i -> i % 3 == 1 && i >= from && i < to)); // late, within the window
      }
      writes.add(request(i -> i == 1)); // a duplicate of a late one: a no-op in both
      // Far behind the newest sample: too old for the window.
      writes.add(PromPb.writeRequest(List.of(PromPb.Series.of(
          Labels.of("__name__", "ooo_hist", "kind", "int"), new long[0], new double[0])
          .withHistograms(List.of(PromPb.NativeHistogram.of(T0 - 3_600_000, counter(0))))),
          List.of()));
      for (int k = 0; k < writes.size(); k++) {
        HttpResponse<String> theirs = prom.write(writes.get(k));
        HttpResponse<String> mine = ts.write(writes.get(k));
        assertEquals(theirs.statusCode(), mine.statusCode(),
            "write " + k + ": " + theirs.body() + " / " + mine.body());
      }
      long end = T0 + N * 15_000L;
      for (String q : List.of(
          "/api/v1/query?query=" + HttpEndpoint.enc("ooo_hist[15m]") + "&time=" + seconds(end),
          "/api/v1/query_range?query=ooo_hist&start=" + seconds(T0) + "&end=" + seconds(end)
              + "&step=15",
          "/api/v1/query_range?query=" + HttpEndpoint.enc("histogram_count(ooo_hist)")
              + "&start=" + seconds(T0) + "&end=" + seconds(end) + "&step=15",
          // Not rate/increase: our PromQL extrapolates histograms as later Prometheus releases
          // do (the zero-count clamp), which 3.5 does for floats only.
          "/api/v1/query?query=" + HttpEndpoint.enc("sort(histogram_sum(ooo_hist))") + "&time="
              + seconds(T0 + 16_000))) {
        HttpResponse<String> theirs = prom.get(q);
        HttpResponse<String> mine = ts.get(q);
        assertEquals(200, theirs.statusCode(), theirs.body());
        assertSameBody(theirs.body(), mine.body(), q);
      }
      Map<String, Double> theirs = typed(prom.get("/metrics").body());
      Map<String, Double> mine = typed(ts.get("/metrics").body());
      // Prometheus shows a type once it counted one; we show both from the start.
      theirs.forEach((k, v) -> assertEquals(v, mine.get(k), k + " in " + mine));
      assertEquals(2.0 * (N / 3), mine.get(
          "prometheus_tsdb_head_out_of_order_samples_appended_total{histogram}"), mine.toString());
      assertEquals(1.0, mine.get("prometheus_tsdb_too_old_samples_total{histogram}"));
    }
  }
}

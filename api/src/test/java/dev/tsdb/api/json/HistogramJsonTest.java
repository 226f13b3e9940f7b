package dev.tsdb.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Our histogram JSON against Prometheus 3.5's answers over the same data (captured by
 * {@link HistogramJsonIT} into {@code golden/histograms/}).
 */
class HistogramJsonTest {
  @Test
  void vectorLikePrometheus() throws IOException {
    // The instant query sees each series' latest sample, stamped with the evaluation time.
    assertEquals(golden("vector.json"), response("vector", g -> {
      for (Map.Entry<String, HistogramCases.Point[]> e : HistogramCases.series().entrySet()) {
        HistogramCases.Point first = e.getValue()[0];
        Labels metric = Labels.of("__name__", e.getKey());
        long t = HistogramCases.QUERY_TIME;
        if (first.histogram() != null) {
          HistogramJson.writeSample(g, metric, t, first.histogram());
        } else {
          g.writeStartObject();
          g.writeFieldName("metric");
          ApiJson.writeLabels(g, metric);
          g.writeFieldName("value");
          g.writeStartArray();
          ApiJson.writePointTimestamp(g, t);
          ApiJson.writeSampleValue(g, first.value());
          g.writeEndArray();
          g.writeEndObject();
        }
      }
    }));
  }

  @Test
  void matrixSelectorLikePrometheus() throws IOException {
    // h_mixed[1m] at RANGE_END: the samples after RANGE_END - 1m, floats and histograms apart.
    assertEquals(golden("matrix.json"), response("matrix", g ->
        writeSeries(g, "h_mixed", HistogramCases.series().get("h_mixed"),
            HistogramCases.RANGE_END - 60_000 + 1, HistogramCases.RANGE_END, 0)));
  }

  @Test
  void rangeQueryLikePrometheus() throws IOException {
    assertEquals(golden("range.json"), response("matrix", g -> {
      for (String name : List.of("h_float", "h_mixed")) {
        writeSeries(g, name, HistogramCases.series().get(name), HistogramCases.RANGE_START,
            HistogramCases.RANGE_END, HistogramCases.RANGE_STEP);
      }
    }));
  }

  @Test
  void boundaryRules() {
    FloatHistogram h = new FloatHistogram();
    assertEquals(0, HistogramJson.boundaryRule(new dev.tsdb.index.histogram.Bucket(1, 2, false,
        true, 1, 1)));
    assertEquals(1, HistogramJson.boundaryRule(new dev.tsdb.index.histogram.Bucket(-2, -1, true,
        false, 1, 1)));
    assertEquals(2, HistogramJson.boundaryRule(new dev.tsdb.index.histogram.Bucket(0, 1, false,
        false, 1, 1)));
    assertEquals(3, HistogramJson.boundaryRule(new dev.tsdb.index.histogram.Bucket(-1, 1, true,
        true, 1, 0)));
    assertEquals("{\"count\":\"0\",\"sum\":\"0\"}", write(g -> HistogramJson.writeHistogram(g, h)));
  }

  /**
   * The series' points as Prometheus shows them: with {@code step} 0 the raw samples in
   * [from, to]; otherwise, at each step, the latest sample within the 5 m lookback.
   */
  private static void writeSeries(JsonGenerator g, String name, HistogramCases.Point[] points,
      long from, long to, long step) throws IOException {
    List<Long> ft = new ArrayList<>();
    List<Double> fv = new ArrayList<>();
    List<Long> ht = new ArrayList<>();
    List<FloatHistogram> hv = new ArrayList<>();
    for (long t = from; t <= to; t += step == 0 ? 1 : step) {
      HistogramCases.Point seen = null;
      for (HistogramCases.Point p : points) {
        boolean inWindow = step == 0 ? p.t() == t : p.t() <= t && p.t() > t - 300_000;
        if (inWindow) {
          seen = p;
        }
      }
      if (seen == null) {
        continue;
      }
      long stamp = step == 0 ? seen.t() : t;
      if (seen.histogram() == null) {
        ft.add(stamp);
        fv.add(seen.value());
      } else {
        ht.add(stamp);
        hv.add(seen.histogram());
      }
    }
    HistogramJson.writeSeries(g, Labels.of("__name__", name),
        ft.stream().mapToLong(Long::longValue).toArray(),
        fv.stream().mapToDouble(Double::doubleValue).toArray(), ft.size(),
        ht.stream().mapToLong(Long::longValue).toArray(), hv.toArray(new FloatHistogram[0]),
        hv.size());
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static String response(String resultType, Body result) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeFieldName("data");
      g.writeStartObject();
      g.writeStringField("resultType", resultType);
      g.writeFieldName("result");
      g.writeStartArray();
      result.write(g);
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  private static String write(Body body) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (JsonGenerator g = ApiJson.generator(out)) {
        body.write(g);
      }
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A golden file's content without its final newline. */
  static String golden(String file) throws IOException {
    try (InputStream in = HistogramJsonTest.class.getResourceAsStream(
        "/golden/histograms/" + file)) {
      if (in == null) {
        throw new IOException("missing golden file " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
    }
  }
}

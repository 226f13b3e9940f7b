package dev.tsdb.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tsdb.testkit.process.HttpEndpoint;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus 3.5 answers the golden files' queries over {@link HistogramCases} remote-written to
 * it, byte for byte as stored in {@code golden/histograms/}. With
 * {@code -Dhistograms.golden.update=true} it rewrites the files from its answers instead.
 */
class HistogramJsonIT {
  @TempDir Path tmp;

  @Test
  void prometheusAnswersAsTheGoldenFilesSay() throws Exception {
    try (Prometheus p = Prometheus.in(PrometheusRelease.V3_5, tmp)
        .flags("--enable-feature=native-histograms").start()) {
      writeAll(p);
      check(p, "vector.json", "/api/v1/query?query=" + HttpEndpoint.enc(HistogramCases.VECTOR_QUERY)
          + "&time=" + ApiJson.formatFloatTimestamp(HistogramCases.QUERY_TIME));
      check(p, "matrix.json", "/api/v1/query?query=" + HttpEndpoint.enc(HistogramCases.MATRIX_QUERY)
          + "&time=" + ApiJson.formatFloatTimestamp(HistogramCases.RANGE_END));
      check(p, "range.json", "/api/v1/query_range?query="
          + HttpEndpoint.enc(HistogramCases.RANGE_QUERY)
          + "&start=" + ApiJson.formatFloatTimestamp(HistogramCases.RANGE_START)
          + "&end=" + ApiJson.formatFloatTimestamp(HistogramCases.RANGE_END)
          + "&step=" + HistogramCases.RANGE_STEP / 1000);
    }
  }

  /** One request per sample, oldest first, so no sample is out of order for its series. */
  private static void writeAll(Prometheus p) throws Exception {
    record Named(String name, HistogramCases.Point point) {}
    List<Named> all = new ArrayList<>();
    for (Map.Entry<String, HistogramCases.Point[]> e : HistogramCases.series().entrySet()) {
      for (HistogramCases.Point point : e.getValue()) {
        all.add(new Named(e.getKey(), point));
      }
    }
    all.sort(Comparator.comparingLong(n -> n.point().t()));
    for (Named n : all) {
      HttpResponse<String> r = p.write(HistogramWriteRequest.of(n.name(), n.point()));
      assertEquals(204, r.statusCode(), n.name() + ": " + r.body());
    }
  }

  private static void check(Prometheus p, String file, String request) throws Exception {
    HttpResponse<String> r = p.get(request);
    assertEquals(200, r.statusCode(), r.body());
    if (Boolean.getBoolean("histograms.golden.update")) {
      Path golden = Path.of("src/test/resources/golden/histograms", file);
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, r.body() + "\n");
      return;
    }
    assertEquals(HistogramJsonTest.golden(file), r.body());
  }
}

package dev.tsdb.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.engine.Engine;
import dev.tsdb.promql.engine.EngineOptions;
import dev.tsdb.promql.value.Value;
import dev.tsdb.testkit.MemStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's answers over the {@link HistogramCases} data, written by {@link ValueJson}, are
 * byte for byte Prometheus 3.5's answers to the same queries (the golden files
 * {@link HistogramJsonIT} captured): selectors, lookback and range vectors with native
 * histograms, floats and histograms of one series listed apart.
 */
class EngineHistogramJsonTest {
  private final MemStorage storage = new MemStorage();
  private final Engine engine = new Engine(EngineOptions.DEFAULT);

  @BeforeEach
  void load() throws Exception {
    Appender app = storage.appender();
    for (Map.Entry<String, HistogramCases.Point[]> e : HistogramCases.series().entrySet()) {
      Labels metric = Labels.of("__name__", e.getKey());
      for (HistogramCases.Point p : e.getValue()) {
        if (p.histogram() == null) {
          app.append(0, metric, p.t(), p.value());
        } else {
          app.appendHistogram(0, metric, p.t(), null, p.histogram());
        }
      }
    }
    app.commit();
  }

  @Test
  void instantVector() throws IOException {
    Value v = engine.instantQuery(storage, HistogramCases.VECTOR_QUERY,
        HistogramCases.QUERY_TIME, QueryOptions.DEFAULT).value();
    assertEquals(HistogramJsonTest.golden("vector.json"), response(v));
  }

  @Test
  void rangeVector() throws IOException {
    Value v = engine.instantQuery(storage, HistogramCases.MATRIX_QUERY,
        HistogramCases.RANGE_END, QueryOptions.DEFAULT).value();
    assertEquals(HistogramJsonTest.golden("matrix.json"), response(v));
  }

  @Test
  void rangeQuery() throws IOException {
    Value v = engine.rangeQuery(storage, HistogramCases.RANGE_QUERY, HistogramCases.RANGE_START,
        HistogramCases.RANGE_END, HistogramCases.RANGE_STEP, QueryOptions.DEFAULT).value();
    assertEquals(HistogramJsonTest.golden("range.json"), response(v));
  }

  private static String response(Value v) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = ApiJson.generator(out)) {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeFieldName("data");
      g.writeStartObject();
      ValueJson.writeQueryData(g, v);
      g.writeEndObject();
      g.writeEndObject();
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}

package dev.tsdb.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.value.Matrix;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.promql.value.Scalar;
import dev.tsdb.promql.value.SeriesPoints;
import dev.tsdb.promql.value.StringValue;
import dev.tsdb.promql.value.Value;
import dev.tsdb.promql.value.Vector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiJsonTest {
  @Test
  void pointTimestampsKeepThreeDigits() {
    assertEquals("1700000000.123", ApiJson.formatPointTimestamp(1700000000123L));
    assertEquals("1700000000", ApiJson.formatPointTimestamp(1700000000000L));
    assertEquals("1700000000.100", ApiJson.formatPointTimestamp(1700000000100L));
    assertEquals("1700000000.010", ApiJson.formatPointTimestamp(1700000000010L));
    assertEquals("1700000000.001", ApiJson.formatPointTimestamp(1700000000001L));
    assertEquals("-1.500", ApiJson.formatPointTimestamp(-1500));
    assertEquals("0", ApiJson.formatPointTimestamp(0));
  }

  @Test
  void scalarTimestampsAreShortestFloats() {
    assertEquals("1700000000.1", ApiJson.formatFloatTimestamp(1700000000100L));
    assertEquals("1700000000.01", ApiJson.formatFloatTimestamp(1700000000010L));
    assertEquals("1700000000", ApiJson.formatFloatTimestamp(1700000000000L));
    assertEquals("-1.5", ApiJson.formatFloatTimestamp(-1500));
  }

  @Test
  void stringsEscapedLikeGoEncodingJson() throws IOException {
    assertEquals("\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\\r\\t\\u0008\\u000c\\u0001\\u2028é\"",
        render(g -> g.writeString("a<b>&\"\\\n\r\t\b\f\u0001\u2028é")));
  }

  /** Prometheus 3.x's label encoder: JSON's escapes only, {@code \b}/{@code \f} in hex. */
  @Test
  void labelSetsEscapeOnlyWhatJsonRequires() throws IOException {
    assertEquals("[{\"a\":\"<b>&\\\"\\\\\\n\\u0008\\u000c\\u0001\u2028é\"},\"\\u003c\"]",
        render(g -> {
          g.writeStartArray();
          ApiJson.writeLabels(g, Labels.of("a", "<b>&\"\\\n\b\f\u0001\u2028é"));
          g.writeString("<"); // HTML-safe escaping again after the label set
          g.writeEndArray();
        }));
  }

  @Test
  void valuesInApiShapes() throws IOException {
    Labels l = Labels.of("__name__", "up", "job", "a");
    assertEquals("{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__name__\":\"up\","
            + "\"job\":\"a\"},\"value\":[1700000000.500,\"1e-07\"]}]}",
        renderData(new Vector(List.of(new Sample(l, 1700000000500L, 1e-7)))));
    assertEquals("{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"__name__\":\"up\","
            + "\"job\":\"a\"},\"values\":[[1,\"+Inf\"],[2,\"NaN\"]]}]}",
        renderData(new Matrix(List.of(new SeriesPoints(l, new long[] {1000, 2000, 3000},
            new double[] {Double.POSITIVE_INFINITY, Double.NaN, 7}, 2)))));
    assertEquals("{\"resultType\":\"scalar\",\"result\":[1.1,\"0.0000001\"]}",
        renderData(new Scalar(1100, 1e-7)));
    assertEquals("{\"resultType\":\"string\",\"result\":[2,\"x\"]}",
        renderData(new StringValue(2000, "x")));
    assertEquals("{\"resultType\":\"vector\",\"result\":[]}", renderData(new Vector(List.of())));
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static String renderData(Value v) throws IOException {
    return render(g -> {
      g.writeStartObject();
      ValueJson.writeQueryData(g, v);
      g.writeEndObject();
    });
  }

  private static String render(Body b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = ApiJson.generator(out)) {
      b.write(g);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}

package dev.tsdb.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Series descriptions of the test-script language, cases from upstream's parser tests. */
class SeriesDescTest {
  private static final Object NONE = new Object();

  private static List<SequenceValue> seq(Object... vals) {
    List<SequenceValue> out = new ArrayList<>();
    for (Object v : vals) {
      out.add(v == NONE ? SequenceValue.OMITTED : SequenceValue.of(((Number) v).doubleValue()));
    }
    return out;
  }

  private static void check(String input, Labels labels, List<SequenceValue> values) {
    SeriesDescription d = Parser.parseSeriesDesc(input);
    assertEquals(labels, d.labels(), input);
    assertEquals(values, d.values(), input);
  }

  @Test
  void expandsValues() {
    check("{} 1 2 3", Labels.EMPTY, seq(1, 2, 3));
    check("{a=\"b\"} -1 2 3", Labels.of("a", "b"), seq(-1, 2, 3));
    check("my_metric 1 2 3", Labels.of("__name__", "my_metric"), seq(1, 2, 3));
    check("my_metric{} 1 2 3", Labels.of("__name__", "my_metric"), seq(1, 2, 3));
    Labels ab = Labels.of("__name__", "my_metric", "a", "b");
    check("my_metric{a=\"b\"} 1 2 3-10x4", ab, seq(1, 2, 3, -7, -17, -27, -37));
    check("my_metric{a=\"b\"} 1 2 3-0x4", ab, seq(1, 2, 3, 3, 3, 3, 3));
    check("{} 1x0", Labels.EMPTY, seq(1));
    check("{} 1+1x0", Labels.EMPTY, seq(1));
    check("{} 2x3", Labels.EMPTY, seq(2, 2, 2, 2));
    check("my_metric{a=\"b\"} 1 3 _ 5 _x4", ab, seq(1, 3, NONE, 5, NONE, NONE, NONE, NONE));
    check("my_metric{a=\"b\"} 1 -1", ab, seq(1, -1));
    check("my_metric{a=\"b\"} 1 +1", ab, seq(1, 1));
    check("my_metric{a=\"b\"} 1 -1 -3-10x4 7 9 +5", ab,
        seq(1, -1, -3, -13, -23, -33, -43, 7, 9, 5));
    check("my_metric{a=\"b\"} 1 +1 +4 -6 -2 8", ab, seq(1, 1, 4, -6, -2, 8));
    check("my_metric{a=\"b\"} 1 2 3    ", ab, seq(1, 2, 3));
    check("my_metric{a=\"\\u70ac = torch\"} 1", Labels.of("__name__", "my_metric", "a",
        "\u70ac = torch"), seq(1));
    check("", Labels.EMPTY, seq());
    check("{\"http.requests\", \"service.name\"=\"api-server\", instance=\"0\"}\t\t0+50x2",
        Labels.of("__name__", "http.requests", "instance", "0", "service.name", "api-server"),
        seq(0, 50, 100));
    check("m 0.1+0.1x2", Labels.of("__name__", "m"), seq(0.1, 0.1 + 0.1, 0.1 + 0.1 + 0.1));
    check("m Inf -Inf NaN", Labels.of("__name__", "m"),
        seq(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN));
    check("sum 1", Labels.of("__name__", "sum"), seq(1));
  }

  @Test
  void staleMarkers() {
    SeriesDescription d = Parser.parseSeriesDesc("m 1 stale 2");
    assertEquals(3, d.values().size());
    assertTrue(d.values().get(1).isStale());
    assertEquals(SequenceValue.STALE_NAN_BITS,
        Double.doubleToRawLongBits(d.values().get(1).value()));
    assertFalse(d.values().get(0).isStale());
  }

  @Test
  void startTimestampSeries() {
    SeriesDescription d = Parser.parseSeriesDesc("delta{type=\"gcp\"}@st _ -59999msx2 1m");
    assertTrue(d.startTimestamps());
    assertEquals(seq(NONE, -59.999, -59.999, -59.999, 60), d.values());
    assertFalse(Parser.parseSeriesDesc("m 1").startTimestamps());
  }

  @Test
  void rejectsMalformedValues() {
    for (String bad : new String[] {"{} 1+1", "my_metric{a=\"b\"} 1 3 _ 5 _a4",
        "my_metric{a=\"b\"} -3-3 -3", "my_metric{a=\"b\"} -3 -3-3", "my_metric{a=\"b\"} -3 _-2",
        "my_metric{a=\"b\"} -3 3+3x4-4", "m 1 foo"}) {
      assertThrows(ParseException.class, () -> Parser.parseSeriesDesc(bad), bad);
    }
  }

  @Test
  void errorMessages() {
    ParseException e = assertThrows(ParseException.class,
        () -> Parser.parseSeriesDesc("{\"http.requests\"xx}\t\t0+50x2"));
    assertTrue(e.getMessage().contains(
        "parse error: unexpected identifier \"xx\" in label set, expected \",\" or \"}\""),
        e.getMessage());
    e = assertThrows(ParseException.class,
        () -> Parser.parseSeriesDesc("{\"http.requests\"=, x=\"y\"}\t\t0+50x2"));
    assertTrue(e.getMessage().contains(
        "parse error: unexpected \",\" in label set, expected string"), e.getMessage());
    e = assertThrows(ParseException.class,
        () -> Parser.parseSeriesDesc("{\"http.requests}\t\t0+50x2"));
    assertTrue(e.getMessage().contains("parse error: unterminated quoted string"),
        e.getMessage());
  }

  @Test
  void nativeHistogramsAreReportedDistinctly() {
    NativeHistogramException e = assertThrows(NativeHistogramException.class,
        () -> Parser.parseSeriesDesc("{} {{schema:1 sum:0.3 count:3}}x2"));
    assertEquals(dev.tsdb.promql.ErrorType.BAD_DATA, e.type());
  }
}

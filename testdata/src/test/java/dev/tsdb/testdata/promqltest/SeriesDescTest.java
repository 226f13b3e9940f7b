package dev.tsdb.testdata.promqltest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesDescTest {
  private static List<Double> floats(SeriesDesc d) {
    return d.values.stream().map(v -> v.omitted() ? null : v.value()).toList();
  }

  @Test
  void expandsSequences() {
    SeriesDesc d = SeriesDesc.parse("http_requests{job=\"api\", instance='0'} 1 2+3x2 _x2 5-1x1 7x1");
    assertEquals(Labels.of("__name__", "http_requests", "job", "api", "instance", "0"), d.labels);
    assertEquals(java.util.Arrays.asList(1.0, 2.0, 5.0, 8.0, null, null, 5.0, 4.0, 7.0, 7.0),
        floats(d));
  }

  @Test
  void staleNaNAndInfinities() {
    SeriesDesc d = SeriesDesc.parse("{} stale -Inf +Inf NaN 16 1e3 -2.5");
    assertEquals(Labels.EMPTY, d.labels);
    assertEquals(SeriesDesc.STALE_NAN_BITS, Double.doubleToRawLongBits(d.values.get(0).value()));
    assertEquals(Double.NEGATIVE_INFINITY, d.values.get(1).value());
    assertEquals(Double.POSITIVE_INFINITY, d.values.get(2).value());
    assertTrue(Double.isNaN(d.values.get(3).value()));
    assertEquals(16, d.values.get(4).value());
    assertEquals(1000, d.values.get(5).value());
    assertEquals(-2.5, d.values.get(6).value());
  }

  @Test
  void countsHistogramPositionsAndQuotedNames() {
    SeriesDesc d = SeriesDesc.parse(
        "{\"metric.with.dots\", \"label.x\"=\"a\\\"b\"} 1 {{schema:0 sum:1 count:1}}x2 3");
    assertEquals("metric.with.dots", d.labels.metricName());
    assertEquals("a\"b", d.labels.get("label.x"));
    assertEquals(5, d.values.size());
    assertTrue(d.hasHistograms());
    assertEquals(3, d.values.get(4).value());
  }

  @Test
  void zeroIncrementIsNotHex() {
    SeriesDesc d = SeriesDesc.parse("foo 52+0x3");
    assertEquals(java.util.Arrays.asList(52.0, 52.0, 52.0, 52.0), floats(d));
  }

  @Test
  void accumulatesIncrementsLikeUpstream() {
    SeriesDesc d = SeriesDesc.parse("m 0+0.1x10");
    double v = 0;
    for (int i = 0; i <= 10; i++) {
      assertEquals(v, d.values.get(i).value());
      v += 0.1;
    }
  }

  @Test
  void parsesEvalCommands() {
    TestScript t = TestScript.parse("""
        load 5m
          m{a="b"} 1 2

        # comment
        eval instant at 10m m
          expect warn msg: PromQL warning: something (1:1)
          expect no_info
          m{a="b"} 2

        eval range from 0 to 10m step 5m m
          m{a="b"} 1 2 _

        eval_fail instant at 0 m
          expected_fail_message boom
        """);
    assertEquals(4, t.commands.size());
    TestScript.Eval e = (TestScript.Eval) t.commands.get(1);
    assertEquals(600_000L, e.evalTime);
    assertEquals("PromQL warning: something (1:1)",
        e.expects(TestScript.ExpectType.WARN).get(0).message());
    assertEquals(1, e.expected.get(Labels.of("__name__", "m", "a", "b")).pos());
    TestScript.Eval r = (TestScript.Eval) t.commands.get(2);
    assertTrue(r.range);
    assertEquals(300_000L, r.step);
    TestScript.Eval f = (TestScript.Eval) t.commands.get(3);
    assertTrue(f.isFail());
    assertEquals("boom", f.expectedFailMessage);
  }
}

package dev.tsdb.testdata.promqltest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * limitk and limit_ratio: upstream's limit.test mixes native histograms into every selection,
 * so the conformance run skips it; this is its float-only part (8 series became 6).
 */
class LimitScriptTest {
  private static final String SCRIPT = """
      load 5m
        http_requests{job="api-server", instance="0", group="production"}	0+10x10
        http_requests{job="api-server", instance="1", group="production"}	0+20x10
        http_requests{job="api-server", instance="0", group="canary"}		0+30x10
        http_requests{job="api-server", instance="1", group="canary"}		0+40x10
        http_requests{job="api-server", instance="2", group="canary"}		0+50x10
        http_requests{job="api-server", instance="3", group="canary"}		0+60x10
        foo 1+1x10
        bar 0 1 0 -1 0 1 0 -1 0 1 0

      eval instant at 50m count(limitk by (group) (0, http_requests))
        expect no_info
        expect no_warn

      eval instant at 50m count(limitk by (group) (-1, http_requests))

      eval instant at 50m count(limitk by (group) (1, http_requests) and http_requests)
        {} 2

      eval instant at 50m count(limitk by (group) (2, http_requests) and http_requests)
        {} 4

      eval instant at 50m count(limitk(100, http_requests) and http_requests)
        {} 6

      eval range from 0m to 50m step 5m count(limitk(scalar(foo), http_requests))
        {} 1 2 3 4 5 6 6 6 6 6 6

      eval range from 0 to 50m step 5m count(limit_ratio(0.0, http_requests))

      eval range from 0 to 50m step 5m count(limitk(2, http_requests) and http_requests)
        {} 2+0x10

      eval range from 0 to 50m step 5m count(limit_ratio(0.5, http_requests) and http_requests) <= bool 5
        {} 1+0x10

      eval range from 0 to 50m step 5m count(limit_ratio(1.0, http_requests) and http_requests)
        {} 6+0x10

      eval range from 0 to 50m step 5m count(limit_ratio(-1.0, http_requests) and http_requests)
        {} 6+0x10

      eval range from 0 to 50m step 5m count(limit_ratio(1.1, http_requests) and http_requests)
        expect warn msg: PromQL warning: ratio value should be between -1 and 1, got 1.1, capping to 1 (1:19)
        {} 6+0x10

      eval range from 0 to 50m step 5m count(limit_ratio(-1.1, http_requests) and http_requests)
        expect warn msg: PromQL warning: ratio value should be between -1 and 1, got -1.1, capping to -1 (1:19)
        {} 6+0x10

      eval range from 0 to 50m step 5m count(limit_ratio(0.2, http_requests) or limit_ratio(-0.8, http_requests))
        {} 6+0x10

      eval range from 0 to 50m step 5m count(limit_ratio(0.2, http_requests) and limit_ratio(-0.8, http_requests))

      eval range from 0 to 50m step 5m count(limit_ratio(0.5, http_requests) or limit_ratio(-0.5, http_requests))
        {} 6+0x10

      eval range from 0 to 50m step 5m count(limit_ratio(0.5, http_requests) and limit_ratio(-0.5, http_requests))

      eval range from 0 to 50m step 5m count(limit_ratio(time() % 17/17, http_requests) or limit_ratio( - (1.0 - (time() % 17/17)), http_requests))
        {} 6+0x10

      eval range from 0 to 50m step 5m count(limit_ratio(time() % 17/17, http_requests) and limit_ratio( - (1.0 - (time() % 17/17)), http_requests))

      eval range from 0m to 50m step 5m count(limit_ratio(scalar(bar), http_requests))
        {} _ 6 _ 6 _ 6 _ 6 _ 6 _
      """;

  @Test
  void floatOnlyLimitScript() {
    ScriptRunner runner = new ScriptRunner(PromqlConformanceTest.testEngine(),
        PromqlConformanceTest::parse);
    ScriptRunner.FileReport r = runner.run("limit-floats.test", SCRIPT);
    assertNull(r.fatal());
    for (ScriptRunner.Outcome o : r.outcomes()) {
      assertEquals(ScriptRunner.Status.PASSED, o.status(),
          () -> "line " + o.line() + ": " + o.expr() + ": " + o.detail());
    }
    assertEquals(20, r.outcomes().size());
  }

  /**
   * Which series limit_ratio keeps depends on Prometheus 3's labels.Hash(); the expected series
   * are what promtool 3.5.3 answered for the same data (`promtool test rules
   * --enable-feature=promql-experimental-functions`). Prometheus 2.x hashed differently.
   */
  @Test
  void limitRatioKeepsTheSeriesPrometheus3Keeps() {
    String script = """
        load 1m
          m{i="0"} 1
          m{i="1"} 1
          m{i="2"} 1
          m{i="3"} 1
          m{i="4"} 1
          m{i="5"} 1
          m{i="6"} 1
          m{i="7"} 1

        eval instant at 0m limit_ratio(0.5, m)
          m{i="0"} 1
          m{i="1"} 1
          m{i="2"} 1
          m{i="3"} 1
          m{i="6"} 1

        eval instant at 0m limit_ratio(-0.5, m)
          m{i="4"} 1
          m{i="5"} 1
          m{i="7"} 1
        """;
    ScriptRunner runner = new ScriptRunner(PromqlConformanceTest.testEngine(),
        PromqlConformanceTest::parse);
    ScriptRunner.FileReport r = runner.run("limit-ratio-hash.test", script);
    assertNull(r.fatal());
    assertEquals(2, r.outcomes().size());
    for (ScriptRunner.Outcome o : r.outcomes()) {
      assertEquals(ScriptRunner.Status.PASSED, o.status(),
          () -> "line " + o.line() + ": " + o.expr() + ": " + o.detail());
    }
  }
}

package dev.tsdb.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.rules.api.AlertSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules over native histograms, with expectations taken from promtool 3.5's {@code test rules}
 * on the same rule and series ({@code {{schema:0 count:4 sum:10 buckets:[1 3]}}}).
 */
class HistogramRulesTest {
  static final long T0 = 1_700_000_000_000L;
  static final Labels H = Labels.of("__name__", "h", "job", "a");

  @TempDir
  Path dir;

  final RuleTestSupport env = new RuleTestSupport();
  RuleManager manager;

  @AfterEach
  void close() {
    if (manager != null) {
      manager.stop();
    }
  }

  static FloatHistogram histogram(double scale) {
    FloatHistogram h = new FloatHistogram();
    h.count = 4 * scale;
    h.sum = 10 * scale;
    h.positiveSpans = new int[] {0, 2};
    h.positiveBuckets = new double[] {1 * scale, 3 * scale};
    return h;
  }

  private Group load(String yaml) throws Exception {
    Path f = RuleTestSupport.writeRules(dir, "rules.yml", yaml);
    manager = new RuleManager(env.options());
    manager.update(60_000, List.of(f.toString()), Labels.EMPTY, "");
    return manager.groups().get(0);
  }

  private void seed() throws Exception {
    Appender a = env.storage.appender();
    a.appendHistogram(0, H, T0 - 10_000, null, histogram(1));
    a.commit();
  }

  /** Every sample of the series, as histogram (or null for floats). */
  private List<FloatHistogram> histograms(Labels l) {
    List<FloatHistogram> out = new ArrayList<>();
    try (Querier q = env.storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(true, null, Matcher.eq("__name__", l.metricName()));
      while (ss.next()) {
        if (!ss.at().labels().equals(l)) {
          continue;
        }
        SampleIterator it = ss.at().iterator(null);
        for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
          out.add(vt == ValueType.FLOAT ? null : it.atFloatHistogram(null));
        }
      }
    }
    return out;
  }

  @Test
  void recordingRuleStoresHistogramResults() throws Exception {
    seed();
    Group g = load("""
        groups:
        - name: rec
          interval: 10s
          rules:
          - record: h:rec
            expr: h * 2
        """);
    g.eval(T0);
    assertEquals(RuleHealth.GOOD, g.rules().get(0).health());
    List<FloatHistogram> got = histograms(Labels.of("__name__", "h:rec", "job", "a"));
    assertEquals(1, got.size());
    FloatHistogram h = got.get(0);
    assertEquals(8, h.count);
    assertEquals(20, h.sum);
    assertEquals(List.of(2.0, 6.0), List.of(h.positiveBuckets[0], h.positiveBuckets[1]));
  }

  @Test
  void alertTemplatesSeeTheHistogramAndTheAlertValueIsZero() throws Exception {
    seed();
    Group g = load("""
        groups:
        - name: alerts
          interval: 10s
          rules:
          - alert: HistHigh
            expr: h
            annotations:
              summary: "v={{ $value }}"
              count: "{{ $value.Count }} {{ $value.Sum }} {{ $value.Schema }} {{ $value.PositiveBuckets }}"
              q: '{{ range query "h" }}{{ .Value }}|{{ .Labels.job }}{{ end }}'
              hum: "{{ humanize $value }}"
              t: '{{ printf "%T" $value }}'
        """);
    g.restoreForState(T0);
    g.eval(T0);
    AlertSnapshot a = manager.alertsSnapshot().get(0);
    assertEquals("firing", a.state());
    // Prometheus keeps only the float part (Sample.F) as the alert's value.
    assertEquals("0e+00", a.value());
    Map<String, String> ann = a.annotations();
    assertEquals("v={count:4, sum:10, (0.5,1]:1, (1,2]:3}", ann.get("summary"));
    assertEquals("4 10 0 [1 3]", ann.get("count"));
    assertEquals("{count:4, sum:10, (0.5,1]:1, (1,2]:3}|a", ann.get("q"));
    assertEquals("*histogram.FloatHistogram", ann.get("t"));
    assertEquals("<error expanding template: error executing template __alert_HistHigh: "
        + "template: __alert_HistHigh:1:115: executing \"__alert_HistHigh\" at "
        + "<humanize $value>: error calling humanize: can't convert "
        + "*histogram.FloatHistogram to float>", ann.get("hum"));
    // ALERTS stays a float series.
    assertEquals(1.0, env.raw(Matcher.eq("__name__", "ALERTS")).values().iterator().next()
        .get(0)[1]);
    assertNull(histograms(Labels.of("__name__", "ALERTS", "alertname", "HistHigh",
        "alertstate", "firing", "job", "a")).get(0));
  }
}

package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native-histogram PromQL answers compared with Prometheus 3.5 byte for byte: integer and float
 * counter histograms of several schemas (negative buckets, zero buckets, a bucket appearing,
 * counter resets), custom buckets, gauge histograms and a series switching between floats and
 * histograms, remote-written to both; then selectors, every histogram_* function, aggregations,
 * rate-like and _over_time functions, binary operators, offsets, {@code @} and subqueries, as
 * instant and range queries.
 *
 * <p>Where 3.5 differs from the newer 3.x semantics we implement, the query stays in the list and
 * {@link #KNOWN_DIFFERENCES} says why; the answers must then differ, in the way stated there.
 */
class HistogramDifferentialIT extends DifferentialQueries {
  @TempDir
  static Path dir;
  static TestServer ours;
  static Prometheus ref;


  static final long[] INSTANTS = {BASE + 20 * 60_000 + 7_500, BASE + 29 * 60_000 + 52_500,
      BASE + 33 * 60_000 + 7_500, BASE + 10 * 60_000 + 500, BASE + 15 * 60_000 + 3_500};
  static final String RANGE = "&start=" + sec(BASE + 7_500) + "&end="
      + sec(BASE + 36 * 60_000 + 7_500) + "&step=60";
  static final String RANGE_ODD = "&start=" + sec(BASE + 90_500) + "&end="
      + sec(BASE + 31 * 60_000 + 13_500) + "&step=97";

  HistogramDifferentialIT() {
    super(INSTANTS, RANGE, RANGE_ODD);
  }

  @BeforeAll
  static void start() throws Exception {
    ours = new TestServer(dir.resolve("tsdb"));
    ref = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("prom"))
        .flags("--enable-feature=native-histograms").start();
    // dh_mixed goes in three requests of one kind each, in time order (a series entry lists its
    // floats before its histograms, so one entry could not switch back to floats). Series are
    // created in label order (Prometheus lists an instant selector's series in creation order),
    // so the first part of dh_mixed goes with the rest.
    Random rnd = new Random(11);
    List<PromPb.Series> first = dataset(rnd);
    List<List<PromPb.Series>> mixed = mixed(rnd);
    first.addAll(mixed.get(0));
    first.sort(Comparator.comparing(PromqlDifferentialIT::labelsOf));
    SideBySide.write(ref, ours, PromPb.writeRequest(first, List.of()));
    for (List<PromPb.Series> part : mixed.subList(1, mixed.size())) {
      SideBySide.write(ref, ours, PromPb.writeRequest(part, List.of()));
    }
    SideBySide.write(ref, ours, PromPb.writeRequest(switching(rnd), List.of()));
  }

  @AfterAll
  static void stop() {
    SideBySide.stop(ref, ours);
  }

  // ---------------------------------------------------------------------------------------------
  // Data

  /** A series holding only the given histogram samples. */
  static PromPb.Series histograms(Labels labels, List<PromPb.NativeHistogram> hs) {
    return PromPb.Series.of(labels, new long[0], new double[0]).withHistograms(hs);
  }

  /** Absolute counts as the deltas an integer histogram holds. */
  static long[] deltas(long[] counts) {
    long[] out = new long[counts.length];
    long prev = 0;
    for (int i = 0; i < counts.length; i++) {
      out[i] = counts[i] - prev;
      prev = counts[i];
    }
    return out;
  }

  static Histogram ints(int schema, long zero, int[] posSpans, long[] pos, int[] negSpans,
      long[] neg, double sum) {
    Histogram h = new Histogram();
    h.schema = schema;
    h.zeroThreshold = schema == Histogram.CUSTOM_BUCKETS_SCHEMA ? 0 : 0.001;
    h.zeroCount = zero;
    h.positiveSpans = posSpans;
    h.positiveBuckets = deltas(pos);
    h.negativeSpans = negSpans;
    h.negativeBuckets = deltas(neg);
    h.count = zero + Arrays.stream(pos).sum() + Arrays.stream(neg).sum();
    h.sum = sum;
    return h;
  }

  static FloatHistogram floats(int schema, double zero, int[] posSpans, double[] pos,
      int[] negSpans, double[] neg, double sum) {
    FloatHistogram h = new FloatHistogram();
    h.schema = schema;
    h.zeroThreshold = schema == Histogram.CUSTOM_BUCKETS_SCHEMA ? 0 : 0.001;
    h.zeroCount = zero;
    h.positiveSpans = posSpans;
    h.positiveBuckets = pos;
    h.negativeSpans = negSpans;
    h.negativeBuckets = neg;
    h.count = zero + Arrays.stream(pos).sum() + Arrays.stream(neg).sum();
    h.sum = sum;
    return h;
  }

  /** Adds 0..3 observations to every bucket; returns how many were added. */
  static long grow(Random rnd, long[] counts) {
    long added = 0;
    for (int b = 0; b < counts.length; b++) {
      int n = rnd.nextInt(4);
      counts[b] += n;
      added += n;
    }
    return added;
  }

  /** Adds 0..3 quarter observations to every bucket (quarters keep float sums exact). */
  static double grow(Random rnd, double[] counts) {
    double added = 0;
    for (int b = 0; b < counts.length; b++) {
      double n = rnd.nextInt(13) / 4.0;
      counts[b] += n;
      added += n;
    }
    return added;
  }

  static List<PromPb.Series> dataset(Random rnd) {
    List<PromPb.Series> out = new ArrayList<>();
    out.add(histograms(Labels.of("__name__", "dh_requests", "inst", "a"), schemaZero(rnd)));
    out.add(histograms(Labels.of("__name__", "dh_requests", "inst", "b"), schemaThree(rnd)));
    out.add(histograms(Labels.of("__name__", "dh_requests", "inst", "c"), schemaMinusOne(rnd)));
    double[] bounds = {0.1, 0.5, 1, 5};
    out.add(histograms(Labels.of("__name__", "dh_custom", "inst", "a"), custom(rnd, bounds,
        false)));
    out.add(histograms(Labels.of("__name__", "dh_custom", "inst", "b"), custom(rnd, bounds,
        true)));
    out.add(histograms(Labels.of("__name__", "dh_custom_other", "inst", "c"),
        custom(rnd, new double[] {0.1, 1, 10}, false)));
    out.add(histograms(Labels.of("__name__", "dh_gauge", "inst", "a"), gauges(rnd, false)));
    out.add(histograms(Labels.of("__name__", "dh_gauge", "inst", "b"), gauges(rnd, true)));
    for (String inst : new String[] {"a", "b", "c"}) {
      long[] ts = new long[POINTS];
      double[] vs = new double[POINTS];
      for (int i = 0; i < POINTS; i++) {
        ts[i] = at(rnd, i);
        vs[i] = (rnd.nextInt(8) + 1) / 4.0;
      }
      out.add(PromPb.Series.of(Labels.of("__name__", "dh_factor", "inst", inst), ts, vs));
    }
    return out;
  }

  /**
   * Integer counter, schema 0, zero and negative buckets; a bucket appears at point 30 and the
   * counter resets at point 60.
   */
  static List<PromPb.NativeHistogram> schemaZero(Random rnd) {
    List<PromPb.NativeHistogram> out = new ArrayList<>();
    long[] pos = {10, 20, 30, 40};
    long[] neg = {5, 7};
    long zero = 3;
    double sum = 100;
    for (int i = 0; i < POINTS; i++) {
      if (i == 30) {
        pos = Arrays.copyOf(pos, 5);
      }
      if (i == 60) {
        pos = new long[] {1, 0, 2, 0, 1};
        neg = new long[] {0, 1};
        zero = 0;
        sum = 2;
      }
      sum += grow(rnd, pos) * 1.5 - grow(rnd, neg) * 0.5;
      zero += rnd.nextInt(2);
      out.add(PromPb.NativeHistogram.of(at(rnd, i), ints(0, zero, new int[] {-1, pos.length},
          pos, new int[] {0, 2}, neg, sum)));
    }
    return out;
  }

  /** Integer counter, schema 3, two positive spans with a gap, no negative buckets. */
  static List<PromPb.NativeHistogram> schemaThree(Random rnd) {
    List<PromPb.NativeHistogram> out = new ArrayList<>();
    long[] pos = {100, 200, 300, 400};
    long zero = 50;
    double sum = 1000;
    for (int i = 0; i < POINTS; i++) {
      sum += grow(rnd, pos) * 1.25;
      zero += rnd.nextInt(3);
      out.add(PromPb.NativeHistogram.of(at(rnd, i), ints(3, zero, new int[] {-2, 2, 3, 2}, pos,
          new int[0], new long[0], sum)));
    }
    return out;
  }

  /** Float counter, schema -1, negative buckets; resets at point 90. */
  static List<PromPb.NativeHistogram> schemaMinusOne(Random rnd) {
    List<PromPb.NativeHistogram> out = new ArrayList<>();
    double[] pos = {20, 40, 60};
    double[] neg = {10};
    double zero = 4;
    double sum = 500;
    for (int i = 0; i < POINTS; i++) {
      if (i == 90) {
        pos = new double[] {0.5, 0, 1.25};
        neg = new double[] {0.25};
        zero = 0;
        sum = 1;
      }
      sum += grow(rnd, pos) * 2 - grow(rnd, neg);
      zero += rnd.nextInt(3) / 2.0;
      out.add(PromPb.NativeHistogram.of(at(rnd, i), floats(-1, zero, new int[] {0, 3},
          pos.clone(), new int[] {-1, 1}, neg.clone(), sum)));
    }
    return out;
  }

  /** A counter with custom bucket bounds (schema -53), integer or float. */
  static List<PromPb.NativeHistogram> custom(Random rnd, double[] bounds, boolean asFloat) {
    List<PromPb.NativeHistogram> out = new ArrayList<>();
    long[] counts = new long[bounds.length + 1];
    Arrays.fill(counts, 50);
    double sum = 300;
    for (int i = 0; i < POINTS; i++) {
      sum += grow(rnd, counts) * 0.75;
      int[] spans = {0, counts.length};
      Histogram h = ints(Histogram.CUSTOM_BUCKETS_SCHEMA, 0, spans, counts, new int[0],
          new long[0], sum);
      h.customValues = bounds;
      out.add(asFloat ? PromPb.NativeHistogram.of(at(rnd, i), FloatHistogram.of(h, null))
          : PromPb.NativeHistogram.of(at(rnd, i), h));
    }
    return out;
  }

  /** Gauge histograms, schema 1, going up and down; float or integer. */
  static List<PromPb.NativeHistogram> gauges(Random rnd, boolean asInteger) {
    List<PromPb.NativeHistogram> out = new ArrayList<>();
    for (int i = 0; i < POINTS; i++) {
      long[] pos = {rnd.nextInt(40), rnd.nextInt(40), rnd.nextInt(40)};
      long[] neg = {rnd.nextInt(10)};
      long zero = rnd.nextInt(5);
      double sum = (rnd.nextInt(401) - 200) / 4.0;
      Histogram h = ints(1, zero, new int[] {0, 3}, pos, new int[] {1, 1}, neg, sum);
      h.counterResetHint = CounterResetHint.GAUGE;
      if (asInteger) {
        out.add(PromPb.NativeHistogram.of(at(rnd, i), h));
      } else {
        FloatHistogram f = FloatHistogram.of(h, null);
        f.positiveBuckets[1] += 0.5;
        f.count += 0.5;
        out.add(PromPb.NativeHistogram.of(at(rnd, i), f));
      }
    }
    return out;
  }

  /**
   * dh_mixed: floats for points 0..39, integer counter histograms for 40..79, floats again from
   * 80: three requests.
   */
  static List<List<PromPb.Series>> mixed(Random rnd) {
    Labels labels = Labels.of("__name__", "dh_mixed", "job", "m");
    List<List<PromPb.Series>> out = new ArrayList<>();
    for (int[] part : new int[][] {{0, 40}, {80, 120}}) {
      int n = part[1] - part[0];
      long[] ts = new long[n];
      double[] vs = new double[n];
      for (int i = 0; i < n; i++) {
        ts[i] = at(rnd, part[0] + i);
        vs[i] = 2.0 * (part[0] + i);
      }
      out.add(List.of(PromPb.Series.of(labels, ts, vs)));
    }
    List<PromPb.NativeHistogram> hs = new ArrayList<>();
    long[] pos = {1, 2};
    double sum = 0;
    for (int i = 40; i < 80; i++) {
      sum += grow(rnd, pos);
      hs.add(PromPb.NativeHistogram.of(at(rnd, i), ints(0, 0, new int[] {0, 2}, pos,
          new int[0], new long[0], sum)));
    }
    out.add(1, List.of(histograms(labels, hs)));
    return out;
  }

  /**
   * dh_switch as two entries of one request: histograms at points 30..44, then floats at 45..59.
   * Appended in that order; Prometheus 3.5 commits the floats first and then drops the
   * histograms as out of order, 3.6+ (and we) commit in append order and keep all.
   */
  static List<PromPb.Series> switching(Random rnd) {
    Labels labels = Labels.of("__name__", "dh_switch");
    long[] ts = new long[15];
    double[] vs = new double[15];
    List<PromPb.NativeHistogram> hs = new ArrayList<>();
    for (int i = 30; i < 45; i++) {
      hs.add(PromPb.NativeHistogram.of(at(rnd, i), ints(0, i, new int[] {0, 1}, new long[] {i},
          new int[0], new long[0], i)));
    }
    for (int i = 45; i < 60; i++) {
      ts[i - 45] = at(rnd, i);
      vs[i - 45] = i;
    }
    return List.of(histograms(labels, hs), PromPb.Series.of(labels, ts, vs));
  }

  // ---------------------------------------------------------------------------------------------
  // Known differences

  /**
   * Why 3.5's answer to a query differs from ours, checked against Prometheus's sources
   * (v3.5.3 against the newer tags): where both answer differently, the two answers must be equal
   * once {@code normaliser} is applied, and contain {@code prometheusHas} and {@code oursHas}.
   */
  record KnownDifference(String reason, UnaryOperator<String> normaliser, String prometheusHas,
      String oursHas) {}

  /** Every number in quotes rounded to 12 significant digits. */
  static String rounded(String body) {
    Matcher m = Pattern.compile("\"(-?[0-9][0-9.e+-]*)\"").matcher(body);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String r = new BigDecimal(m.group(1)).round(new MathContext(12)).stripTrailingZeros()
          .toString();
      m.appendReplacement(out, Matcher.quoteReplacement("\"" + r + "\""));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The answer without its histograms' counts and sums: series, times and buckets remain. */
  static String shape(String body) {
    return body.replaceAll("\"(count|sum)\":\"[^\"]*\"", "\"$1\":\"_\"")
        .replaceAll("(\\[[0-3],\"[^\"]*\",\"[^\"]*\"),\"[^\"]*\"\\]", "$1,\"_\"]");
  }

  static final Map<String, KnownDifference> KNOWN_DIFFERENCES = new LinkedHashMap<>();

  static void known(KnownDifference why, String... exprs) {
    for (String e : exprs) {
      KNOWN_DIFFERENCES.put(e, why);
    }
  }

  static {
    known(new KnownDifference("3.10+ adds histograms with Kahan compensation (KahanAdd in sum,"
        + " avg and *_over_time), 3.5 plainly: the last digits differ",
        HistogramDifferentialIT::rounded, "", ""),
        "avg(dh_requests)", "avg(rate(dh_requests[2m]))", "sum(rate(dh_requests[2m]))",
        "sum(rate(dh_requests[2m] @ end()))", "histogram_quantile(0.9, sum(rate(dh_requests[5m])))",
        "avg_over_time(dh_requests[2m])", "avg_over_time(dh_custom[2m])",
        "avg_over_time(dh_gauge[2m])", "avg_over_time(dh_mixed[2m])",
        "histogram_quantile(0.5, sum_over_time(rate(dh_custom[1m])[4m:1m]))");
    known(new KnownDifference("3.6+ stops extrapolating a histogram rate's start at the point"
        + " where its count would be zero, as for floats; 3.5 only did for floats",
        HistogramDifferentialIT::shape, "", ""),
        "rate(dh_gauge[2m])", "rate(dh_gauge[5m])", "increase(dh_gauge[2m])",
        "increase(dh_gauge[10m])");
    known(new KnownDifference("3.8+ reconciles custom buckets of different bounds to the bounds"
        + " they share (with an info); 3.5 drops the result with a warning",
        body -> "", "incompatible custom buckets", "mismatched custom buckets were reconciled"),
        "sum({__name__=~\"dh_custom.*\"})");
    known(new KnownDifference("3.8+ reconciles custom buckets of different bounds in binary"
        + " operators too; 3.5 drops the result with a warning", body -> "",
        "incompatible bucket layout", "mismatched custom buckets were reconciled"),
        "dh_custom + on() group_left dh_custom_other");
    known(new KnownDifference("3.5's missing-le warning names the metric, newer 3.x's does not",
        DifferentialQueries::withoutAnnotations, "for metric name",
        "malformed value of \\\"\\\" ("),
        "histogram_quantile(0.5, dh_mixed)", "histogram_quantile(0.5, dh_factor)");
    known(new KnownDifference("histogram_quantiles is newer than 3.5 (and experimental: not"
        + " enabled here)", DifferentialQueries::errorType, "unknown function with name",
        "is not enabled"), "histogram_quantiles(dh_requests, \"q\", 0.5, 0.9)");
    known(new KnownDifference("3.5 commits a request's floats before its histograms and drops"
        + " histograms older than the series' last float; 3.6+ commits in append order",
        body -> "", "", ""),
        "dh_switch[10m]", "histogram_count(dh_switch)", "count_over_time(dh_switch[10m])");
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  static final String[] HISTOGRAMS = {"dh_requests", "dh_custom", "dh_gauge",
      "dh_requests{inst=\"c\"}", "dh_custom{inst=\"b\"}"};

  List<Case> queries() {
    selectors();
    histogramFunctions();
    aggregations();
    rateFunctions();
    overTime();
    binaryOperators();
    modifiersAndSubqueries();
    return cases;
  }

  void selectors() {
    for (String s : new String[] {"dh_requests", "dh_custom", "dh_custom_other", "dh_gauge",
        "dh_mixed", "{__name__=~\"dh_.*\",__name__!=\"dh_switch\"}",
        "dh_requests{inst=~\"a|c\"}"}) {
      both(s);
    }
    for (String s : new String[] {"dh_requests[1m]", "dh_gauge[45s]", "dh_custom[30s]",
        "dh_mixed[3m]", "{__name__=~\"dh_(mixed|factor)\"}[1m]"}) {
      instant(s);
    }
  }

  void histogramFunctions() {
    for (String h : HISTOGRAMS) {
      for (String f : new String[] {"histogram_count", "histogram_sum", "histogram_avg",
          "histogram_stddev", "histogram_stdvar"}) {
        both(f + "(" + h + ")");
      }
      for (String q : new String[] {"0", "0.1", "0.5", "0.9", "0.99", "1", "-1", "2", "NaN"}) {
        both("histogram_quantile(" + q + ", " + h + ")");
      }
      for (String r : new String[] {"0, 1", "-Inf, 0", "-1, 2", "0.1, 0.5", "1, +Inf",
          "-Inf, +Inf", "2, 1"}) {
        both("histogram_fraction(" + r + ", " + h + ")");
      }
    }
    both("histogram_count(dh_mixed)");
    both("histogram_quantile(0.5, dh_mixed)");
    both("histogram_quantile(0.9, rate(dh_requests[2m]))");
    both("histogram_quantile(0.9, sum(rate(dh_requests[5m])))");
    both("histogram_quantile(0.5, sum by (inst) (rate(dh_custom[3m])))");
    both("histogram_fraction(0, 2, rate(dh_requests[2m]))");
    both("histogram_avg(rate(dh_custom[2m]))");
    both("histogram_count(rate(dh_requests[1m])) / histogram_count(dh_requests)");
    both("histogram_quantile(0.5, dh_factor)");
    both("histogram_sum(dh_factor)");
    both("histogram_quantile(scalar(dh_factor{inst=\"a\"}) / 2, dh_gauge)");
    both("histogram_quantiles(dh_requests, \"q\", 0.5, 0.9)");
    instant("dh_switch[10m]");
    both("histogram_count(dh_switch)");
    both("count_over_time(dh_switch[10m])");
  }

  void aggregations() {
    for (String m : new String[] {"dh_requests", "dh_custom", "dh_gauge",
        "rate(dh_requests[2m])", "{__name__=~\"dh_(gauge|factor)\"}"}) {
      for (String agg : new String[] {"sum", "avg", "count", "min", "max", "group", "stddev",
          "stdvar"}) {
        both(agg + "(" + m + ")");
        both(agg + " by (inst) (" + m + ")");
      }
      both("topk(1, " + m + ")");
      both("topk by (inst) (1, " + m + ")");
      both("bottomk(2, " + m + ")");
      both("quantile(0.5, " + m + ")");
      both("count_values(\"v\", " + m + ")", Mode.UNORDERED);
    }
    both("sum({__name__=~\"dh_custom.*\"})");
    both("sum(dh_requests{inst=~\"a|b\"}) without (inst)");
    both("avg without (inst) (dh_gauge)");
  }

  void rateFunctions() {
    for (String m : new String[] {"dh_requests", "dh_custom", "dh_gauge", "dh_mixed",
        "dh_requests{inst=\"a\"}"}) {
      for (String f : new String[] {"rate", "increase", "irate", "delta", "idelta", "resets",
          "changes", "deriv", "predict_linear"}) {
        String args = f.equals("predict_linear") ? "[3m], 60" : "[2m]";
        both(f + "(" + m + args + ")");
      }
      both("rate(" + m + "[5m])");
      both("increase(" + m + "[10m])");
      both("resets(" + m + "[30m])");
    }
  }

  void overTime() {
    for (String m : new String[] {"dh_requests", "dh_custom", "dh_gauge", "dh_mixed"}) {
      for (String f : new String[] {"sum_over_time", "avg_over_time", "count_over_time",
          "last_over_time", "min_over_time", "max_over_time", "stddev_over_time",
          "stdvar_over_time", "present_over_time", "absent_over_time"}) {
        both(f + "(" + m + "[2m])");
      }
      both("quantile_over_time(0.5, " + m + "[2m])");
    }
  }

  void binaryOperators() {
    for (String e : new String[] {"dh_requests * 2", "2 * dh_requests", "dh_requests / 4",
        "dh_requests / 0", "-dh_requests", "dh_requests + 1", "1 - dh_gauge",
        "dh_requests + dh_requests", "dh_requests - dh_requests offset 1m",
        "dh_gauge - dh_gauge offset 30s", "dh_custom + dh_custom", "dh_requests * dh_requests",
        "dh_requests / dh_requests", "dh_requests * on(inst) dh_factor",
        "dh_factor * on(inst) dh_requests", "dh_requests / on(inst) dh_factor",
        "dh_requests == dh_requests", "dh_requests != dh_requests offset 15s",
        "dh_requests == bool dh_requests", "dh_gauge > 1", "dh_gauge == 1",
        "dh_requests and dh_factor", "dh_requests and on(inst) dh_factor",
        "dh_requests or dh_factor", "dh_factor or dh_requests",
        "dh_requests unless on(inst) dh_factor{inst=\"a\"}", "dh_mixed * 2", "dh_mixed + 1",
        "dh_custom + on(inst) dh_custom_other", "dh_requests * scalar(dh_factor{inst=\"b\"})",
        "sum(dh_requests) - sum(dh_requests offset 5m)", "dh_requests + dh_custom",
        "dh_custom + on() group_left dh_custom_other"}) {
      both(e);
    }
  }

  void modifiersAndSubqueries() {
    long at1 = BASE + 10 * 60_000 + 31_500;
    long at2 = BASE + 25 * 60_000 + 7_500;
    both("dh_requests offset 5m");
    both("dh_gauge offset -2m");
    both("dh_requests @ " + sec(at1));
    both("rate(dh_requests[2m] @ " + sec(at2) + ")");
    both("histogram_count(dh_custom @ " + sec(at2) + " offset 1m)");
    range("dh_requests @ start()", Mode.EXACT);
    range("sum(rate(dh_requests[2m] @ end()))", Mode.EXACT);
    both("rate(dh_requests[5m:30s])");
    both("sum_over_time(dh_gauge[2m:20s])");
    both("last_over_time(dh_custom[3m:45s] offset 1m)");
    both("max_over_time(histogram_count(rate(dh_requests[1m]))[5m:1m])", Mode.UNORDERED);
    both("histogram_quantile(0.5, sum_over_time(rate(dh_custom[1m])[4m:1m]))", Mode.UNORDERED);
    instant("dh_requests[2m:30s]");
    instant("rate(dh_gauge[1m])[3m:1m]", Mode.UNORDERED);
  }

  // ---------------------------------------------------------------------------------------------
  // Comparison

  @Test
  void histogramAnswersMatchPrometheus() throws Exception {
    List<Case> qs = queries();
    List<String> mismatches = new ArrayList<>();
    List<String> notAsKnown = new ArrayList<>();
    Set<String> knownSeen = new HashSet<>();
    for (Case c : qs) {
      String mismatch = mismatch(c, ours, ref);
      KnownDifference known = KNOWN_DIFFERENCES.get(c.expr());
      if (mismatch == null) {
        continue;
      }
      if (known == null) {
        mismatches.add(mismatch);
        continue;
      }
      knownSeen.add(c.expr());
      String theirs = ref.get(c.path()).body();
      String mine = ours.get(c.path()).body();
      if (!theirs.contains(known.prometheusHas()) || !mine.contains(known.oursHas())
          || !known.normaliser().apply(theirs).equals(known.normaliser().apply(mine))) {
        notAsKnown.add(known.reason() + ":\n" + mismatch);
      }
    }
    for (String e : KNOWN_DIFFERENCES.keySet()) {
      if (!knownSeen.contains(e)) {
        notAsKnown.add(e + ": both agree everywhere (" + KNOWN_DIFFERENCES.get(e).reason() + ")");
      }
    }
    String report = mismatches.size() + " of " + qs.size() + " answers differ:\n"
        + String.join("\n", mismatches) + "\n\nKnown differences not as expected: "
        + notAsKnown.size() + "\n" + String.join("\n", notAsKnown);
    Path out = Path.of("target", "histogram-differential.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report);
    System.out.println("Histogram differential: " + qs.size() + " queries, " + mismatches.size()
        + " differ, " + notAsKnown.size() + " known differences not as expected");
    assertTrue(mismatches.isEmpty() && notAsKnown.isEmpty(),
        report.length() > 20_000 ? report.substring(0, 20_000) : report);
  }
}

package dev.tsdb.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tsdb.api.json.ApiJson;
import dev.tsdb.api.json.ValueJson;
import dev.tsdb.head.Head;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.SampleRejectedException;
import dev.tsdb.promql.QueryEngine;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the query path (parser, engine, head series selection and chunk decoding, JSON rendering)
 * over a small synthetic head for a moment after start, so that the JIT has compiled it before
 * the first dashboard asks: a fresh JVM interprets the engine, and its first queries took 10-20
 * times as long as warmed-up ones (docs/benchmarks.md, first query runs). The data is made up
 * here and lives in its own in-memory head, never the user's storage; the engine is a second
 * instance with the server's settings, so the server's query slots, query log and metrics see
 * nothing of it. The queries are common dashboard shapes, not the benchmark's.
 */
final class QueryWarmup {
  private static final Logger LOG = Logger.getLogger(QueryWarmup.class.getName());
  /** Set to false to start without it (measuring the cold path). */
  static final String ENABLED_PROPERTY = "tsdb.query.warmup";
  private static final long STEP_MS = 15_000;
  private static final int POINTS = 480; // two hours at 15 s: several chunks per series
  private static final int ROUNDS = 40;

  private static final List<String> INSTANT = List.of(
      "warm_requests_total",
      "warm_requests_total{job=\"api\",code=~\"5..\"}",
      "rate(warm_requests_total[5m])",
      "irate(warm_requests_total[1m])",
      "increase(warm_requests_total[1h])",
      "sum by (job) (rate(warm_requests_total[5m]))",
      "sum without (instance) (rate(warm_requests_total{code!=\"200\"}[5m]))",
      "avg by (instance) (warm_memory_bytes) / 1024 / 1024",
      "max(warm_memory_bytes) - min(warm_memory_bytes)",
      "count by (job) ({__name__=~\"warm_.*\",instance=~\"i-1.*\"})",
      "topk(5, rate(warm_requests_total[5m]))",
      "bottomk(3, warm_memory_bytes)",
      "histogram_quantile(0.99, sum by (le) (rate(warm_latency_seconds_bucket[5m])))",
      "histogram_quantile(0.9, sum by (le, job) (rate(warm_latency_seconds_bucket[5m])))",
      "histogram_quantile(0.5, sum(rate(warm_native_seconds[5m])))",
      "histogram_count(rate(warm_native_seconds[5m]))",
      "sum(rate(warm_requests_total{code=\"500\"}[5m])) / sum(rate(warm_requests_total[5m]))",
      "warm_memory_bytes / on (instance) group_left (job) warm_up",
      "avg_over_time(warm_memory_bytes[10m])",
      "max_over_time(warm_memory_bytes[1h]) > 0",
      "quantile_over_time(0.9, warm_memory_bytes[30m])",
      "predict_linear(warm_memory_bytes[30m], 3600)",
      "delta(warm_memory_bytes[10m])",
      "deriv(warm_memory_bytes[10m])",
      "changes(warm_up[1h])",
      "absent(warm_missing_metric)",
      "label_replace(warm_up, \"host\", \"$1\", \"instance\", \"(.*)-.*\")",
      "warm_up offset 10m",
      "max_over_time(rate(warm_requests_total[5m])[30m:1m])",
      "sum by (job) (warm_up) == bool 1",
      "time() - warm_memory_bytes",
      "count(count by (instance) (warm_up))");

  private static final List<String> RANGE = List.of(
      "sum by (job) (rate(warm_requests_total[5m]))",
      "rate(warm_requests_total{job=\"api\"}[5m])",
      "histogram_quantile(0.9, sum by (le, job) (rate(warm_latency_seconds_bucket[5m])))",
      "histogram_quantile(0.5, sum(rate(warm_native_seconds[5m])))",
      "avg by (instance) (warm_memory_bytes)",
      "topk(3, warm_memory_bytes)");

  private QueryWarmup() {}

  /** Starts the warm-up on a daemon thread, unless disabled by {@link #ENABLED_PROPERTY}. */
  static void startInBackground(QueryEngine engine) {
    if (!Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"))) {
      return;
    }
    Thread t = new Thread(() -> run(engine), "query-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  static void run(QueryEngine engine) {
    long t0 = System.nanoTime();
    try {
      int queries = warm(engine, ROUNDS);
      if (LOG.isLoggable(Level.FINE)) {
        LOG.fine("query warm-up: " + queries + " queries in "
            + (System.nanoTime() - t0) / 1_000_000 + " ms");
      }
    } catch (IOException | SampleRejectedException | RuntimeException e) {
      // Only speed is at stake: the server works the same without it.
      LOG.log(Level.FINE, "query warm-up stopped", e);
    }
  }

  /**
   * Fills a new head and runs every query {@code rounds} times; returns how many answers were
   * not empty (all of them, unless the made-up data no longer fits a query).
   */
  static int warm(QueryEngine engine, int rounds) throws IOException, SampleRejectedException {
    long end = (System.currentTimeMillis() / STEP_MS) * STEP_MS;
    long start = end - (POINTS - 1) * STEP_MS;
    int nonEmpty = 0;
    try (Head head = new Head()) {
      fill(head, start);
      OutputStream sink = OutputStream.nullOutputStream();
      for (int round = 0; round < rounds; round++) {
        for (String q : INSTANT) {
          nonEmpty += render(engine.instantQuery(head, q, end, QueryOptions.DEFAULT), sink);
        }
        for (String q : RANGE) {
          nonEmpty += render(engine.rangeQuery(head, q, end - 3_600_000, end, 60_000,
              QueryOptions.DEFAULT), sink);
        }
      }
    }
    return nonEmpty;
  }

  static int queryCount() {
    return INSTANT.size() + RANGE.size();
  }

  /** Renders the answer as the API does; 1 if it holds something. */
  private static int render(QueryResult r, OutputStream sink) throws IOException {
    try (JsonGenerator g = ApiJson.generator(sink)) {
      g.writeStartObject();
      ValueJson.writeQueryData(g, r.value());
      g.writeEndObject();
    }
    return r.value() instanceof dev.tsdb.promql.value.Vector v && v.samples().isEmpty()
        || r.value() instanceof dev.tsdb.promql.value.Matrix m && m.series().isEmpty() ? 0 : 1;
  }

  /** 40 instances of a small service: counters by code, gauges, classic and native histograms. */
  private static void fill(Head head, long start) throws IOException, SampleRejectedException {
    String[] les = {"0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"};
    String[] codes = {"200", "404", "500"};
    for (int i = 0; i < POINTS; i++) {
      long t = start + i * STEP_MS;
      Appender app = head.appender();
      for (int inst = 0; inst < 40; inst++) {
        String instance = "i-" + inst + "-x";
        String job = inst % 2 == 0 ? "api" : "web";
        app.append(0, Labels.of("__name__", "warm_up", "instance", instance, "job", job), t, 1);
        app.append(0, Labels.of("__name__", "warm_memory_bytes", "instance", instance, "job", job),
            t, 1e8 + 4096.0 * ((i * 7 + inst) % 50));
        for (int c = 0; c < codes.length; c++) {
          app.append(0, Labels.of("__name__", "warm_requests_total", "code", codes[c],
              "instance", instance, "job", job), t, (double) i * (10 - 3 * c) + inst);
        }
        for (int b = 0; b < les.length; b++) {
          app.append(0, Labels.of("__name__", "warm_latency_seconds_bucket", "instance", instance,
              "job", job, "le", les[b]), t, (double) i * (b + 1));
        }
        if (inst < 8) {
          app.appendHistogram(0, Labels.of("__name__", "warm_native_seconds",
              "instance", instance, "job", job), t, nativeHistogram(i), null);
        }
      }
      app.commit();
    }
  }

  private static Histogram nativeHistogram(int i) {
    Histogram h = new Histogram();
    h.schema = 1;
    h.sum = 1.5 * (i + 1);
    h.positiveSpans = new int[] {0, 3};
    h.positiveBuckets = new long[] {i + 1, i + 1, 0}; // deltas: i+1, 2(i+1), 2(i+1)... counts
    h.count = (i + 1) + 2L * (i + 1) + 2L * (i + 1);
    return h;
  }
}

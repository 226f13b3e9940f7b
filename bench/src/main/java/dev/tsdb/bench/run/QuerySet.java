package dev.tsdb.bench.run;

import dev.tsdb.bench.gen.Fleet;
import java.util.List;

/**
 * The fixed queries run against both servers. They are evaluated at a time just after the last
 * scrape and use steps that are multiples of the scrape interval, so no sample ever sits exactly
 * on a range or lookback boundary: Prometheus 2.42 (left-closed ranges) and 3.x semantics
 * (left-open) then give the same answers and results can be compared.
 */
public final class QuerySet {
  private QuerySet() {}

  public static List<BenchQuery> of(Fleet fleet) {
    // Every target's sample offsets are below 10 s, so t - k * 15 s lands on an offset of 10 s.
    long t = fleet.startMs() + (long) (fleet.rounds() - 1) * fleet.intervalMs() + 10_000;
    // Range queries start once every 5m window is full of data: where a series starts inside a
    // window, rate() extrapolates differently since Prometheus 2.51 (prometheus#13725, which
    // 3.x semantics include and 2.42 lacks), and the answers could no longer be compared.
    long span = 55 * 60_000;
    String instance = fleet.targetLabels(0)[1][1];
    return List.of(
        instant("one series",
            "node_memory_MemAvailable_bytes{instance=\"" + instance + "\",job=\"node\"}", t),
        instant("rate, all node_cpu series", "rate(node_cpu_seconds_total[5m])", t),
        instant("sum by job of rate",
            "sum by (job) (rate(node_cpu_seconds_total[5m]))", t),
        instant("histogram_quantile", "histogram_quantile(0.9, sum by (le)"
            + " (rate(http_request_duration_seconds_bucket[5m])))", t),
        instant("topk", "topk(10, rate(node_network_receive_bytes_total[5m]))", t),
        instant("regex label matchers", "sum by (mountpoint)"
            + " (node_filesystem_avail_bytes{mountpoint=~\"/|/var\",pod=~\"web-.*\"})", t),
        instant("regex on __name__",
            "count by (job) ({__name__=~\"node_memory_.*\",namespace=~\"ns-1.*\"})", t),
        range("55m range, step 15s, sum by job of rate",
            "sum by (job) (rate(node_cpu_seconds_total[5m]))", t, span, 15_000),
        range("55m range, step 60s, histogram_quantile by job", "histogram_quantile(0.9, sum by"
            + " (le, job) (rate(http_request_duration_seconds_bucket[5m])))", t, span, 60_000),
        range("55m range, step 60s, rate of eth0 series",
            "rate(node_network_receive_bytes_total{device=\"eth0\"}[5m])", t, span, 60_000));
  }

  private static BenchQuery instant(String name, String expr, long t) {
    return new BenchQuery(name, expr, t, 0, 0);
  }

  private static BenchQuery range(String name, String expr, long end, long span, long step) {
    return new BenchQuery(name, expr, end, end - span, step);
  }
}

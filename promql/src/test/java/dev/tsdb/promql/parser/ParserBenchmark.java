package dev.tsdb.promql.parser;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Parse throughput of typical dashboard queries (run with the JMH runner, not in unit tests). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParserBenchmark {
  @Param({
    "up",
    "sum by (job) (rate(http_requests_total{job=~\"api|web\", code!~\"5..\"}[5m]))",
    "histogram_quantile(0.99, sum by (le, handler) (rate(request_duration_seconds_bucket[5m])))"
        + " > on (handler) group_left (team) 0.5 * handler_slo_seconds",
  })
  public String query;

  @Benchmark
  public Object parse() {
    return Parser.parseExpr(query);
  }

  @Benchmark
  public String parseAndFormat() {
    return Parser.parseExpr(query).toString();
  }
}

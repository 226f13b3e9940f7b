package dev.tsdb.promql.engine;

import dev.tsdb.promql.QueryStats;

/**
 * The phases of one query's execution, timed for its stats as Prometheus names them: the wait
 * for a slot (execQueue), then everything after it (execTotal), of which the evaluation
 * (evalTotal) is preparation (resolving, planning, opening the querier), the evaluator's own
 * work (innerEval) and sorting the result (resultSort).
 */
final class QueryTimer {
  private final long queued = System.nanoTime();
  private long execStart;
  private long evalStart;
  private long innerStart;
  private long innerEnd;
  private long sortNanos;

  void slotAcquired() {
    execStart = System.nanoTime();
  }

  void evalStarted() {
    evalStart = System.nanoTime();
  }

  void innerStarted() {
    innerStart = System.nanoTime();
  }

  void innerEnded() {
    innerEnd = System.nanoTime();
  }

  void sorted(long nanos) {
    sortNanos += nanos;
  }

  QueryStats stats(SampleStats samples) {
    long now = System.nanoTime();
    long innerStop = innerEnd == 0 ? now : innerEnd;
    return new QueryStats(new QueryStats.Timings(
        seconds(now - evalStart), seconds(sortNanos), seconds(innerStart - evalStart),
        seconds(innerStop - innerStart), seconds(execStart - queued), seconds(now - execStart)),
        samples.totalQueryable(), samples.peak());
  }

  private static double seconds(long nanos) {
    return Math.max(0, nanos) / 1e9;
  }
}

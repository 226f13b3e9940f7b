package dev.tsdb.api;

import java.util.List;

/**
 * Head cardinality statistics for /api/v1/status/tsdb, from the storage's own index (without
 * one, the handler scans the series instead).
 */
@FunctionalInterface
public interface TsdbStatusSource {
  /** Prometheus's HeadStats; min/max time in ms (MaxInt64/MinInt64 for an empty head). */
  record HeadStats(long numSeries, long numLabelPairs, long chunkCount, long minTime,
      long maxTime) {}

  /** One entry of a top list. */
  record Stat(String name, long value) {}

  /** Prometheus's TSDBStatus: head stats and the top-{@code limit} lists, largest first. */
  record Status(HeadStats headStats, List<Stat> seriesCountByMetricName,
      List<Stat> labelValueCountByLabelName, List<Stat> memoryInBytesByLabelName,
      List<Stat> seriesCountByLabelValuePair) {}

  Status tsdbStatus(int limit);
}

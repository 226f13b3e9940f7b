package dev.tsdb.blocks.db;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * What Prometheus's {@code /api/v1/status/tsdb} reports: head statistics and the top
 * cardinality lists (JSON names as the field names; see web/api/v1/api.go TSDBStatus).
 */
public record TsdbStatus(HeadStats headStats, List<Stat> seriesCountByMetricName,
    List<Stat> labelValueCountByLabelName, List<Stat> memoryInBytesByLabelName,
    List<Stat> seriesCountByLabelValuePair) {

  /** minTime/maxTime are the head's (ms); chunkCount counts in-order head chunks. */
  public record HeadStats(long numSeries, long numLabelPairs, long chunkCount, long minTime,
      long maxTime) {}

  public record Stat(String name, long value) {}

  /** Accumulates label statistics over the head's series, then keeps the top {@code limit}. */
  static final class Builder {
    private final Map<String, Map<String, int[]>> byName = new HashMap<>();

    void add(dev.tsdb.index.labels.Labels l) {
      for (int i = 0; i < l.size(); i++) {
        byName.computeIfAbsent(l.name(i), k -> new HashMap<>())
            .computeIfAbsent(l.value(i), k -> new int[1])[0]++;
      }
    }

    TsdbStatus build(int limit, long numSeries, long chunkCount, long minTime, long maxTime) {
      Top metrics = new Top(limit);
      Top valueCounts = new Top(limit);
      Top memory = new Top(limit);
      Top pairs = new Top(limit);
      long numPairs = 0;
      for (Map.Entry<String, Map<String, int[]>> e : byName.entrySet()) {
        String name = e.getKey();
        Map<String, int[]> values = e.getValue();
        numPairs += values.size();
        valueCounts.offer(name, values.size());
        long bytes = 0;
        for (Map.Entry<String, int[]> v : values.entrySet()) {
          int series = v.getValue()[0];
          // Prometheus counts the value's length once per series that carries it.
          bytes += (long) v.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
              * series;
          pairs.offer(name + "=" + v.getKey(), series);
          if (name.equals(dev.tsdb.index.labels.Labels.METRIC_NAME)) {
            metrics.offer(v.getKey(), series);
          }
        }
        memory.offer(name, bytes);
      }
      return new TsdbStatus(new HeadStats(numSeries, numPairs, chunkCount, minTime, maxTime),
          metrics.sorted(), valueCounts.sorted(), memory.sorted(), pairs.sorted());
    }
  }

  /** The largest values, ties broken by name, descending. */
  private static final class Top {
    private final int limit;
    private final PriorityQueue<Stat> heap = new PriorityQueue<>(Top::ascending);

    Top(int limit) {
      this.limit = limit;
    }

    private static int ascending(Stat a, Stat b) {
      int c = Long.compare(a.value(), b.value());
      return c != 0 ? c : b.name().compareTo(a.name());
    }

    void offer(String name, long value) {
      if (limit <= 0) {
        return;
      }
      if (heap.size() < limit) {
        heap.add(new Stat(name, value));
      } else if (ascending(new Stat(name, value), heap.peek()) > 0) {
        heap.poll();
        heap.add(new Stat(name, value));
      }
    }

    List<Stat> sorted() {
      List<Stat> out = new ArrayList<>(heap);
      out.sort((a, b) -> ascending(b, a));
      return out;
    }
  }
}

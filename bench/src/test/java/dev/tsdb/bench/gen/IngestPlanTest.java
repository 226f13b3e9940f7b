package dev.tsdb.bench.gen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestPlanTest {
  private static final long START = 1_700_000_000_000L;

  @Test
  void requestsDecodeToEverySeriesOncePerRoundInTimeOrderPerShard() throws Exception {
    Fleet fleet = new Fleet(1000, 7, START, 4, 15_000);
    IngestPlan plan = IngestPlan.build(fleet, 3, 150, 2);
    assertEquals(3, plan.shards());
    assertEquals(4000, plan.totalSamples());

    Map<String, Integer> seriesByLabels = new HashMap<>();
    for (int i = 0; i < fleet.seriesCount(); i++) {
      seriesByLabels.put(String.join("\u0000", fleet.labels(i)), i);
    }
    int[][] seen = new int[fleet.seriesCount()][];
    long compressed = 0;
    for (int shard = 0; shard < plan.shards(); shard++) {
      Map<Integer, Long> lastTimestamp = new HashMap<>();
      for (int r = 0; r < plan.requests(shard).length; r++) {
        byte[] request = plan.requests(shard)[r];
        compressed += request.length;
        List<WriteRequestDecoder.Sample> samples = WriteRequestDecoder.decode(request);
        assertEquals(plan.samples(shard)[r], samples.size());
        assertTrue(samples.size() <= 150);
        for (WriteRequestDecoder.Sample s : samples) {
          Integer series = seriesByLabels.get(String.join("\u0000", s.labels()));
          assertTrue(series != null, "unknown labels " + s.labels());
          assertEquals(shard, IngestPlan.shardOf(series, 3));
          int round = (int) ((s.timestampMs() - START) / 15_000);
          assertEquals(fleet.timestampMs(series, round), s.timestampMs());
          assertEquals(fleet.value(series, round), s.value());
          Long previous = lastTimestamp.put(series, s.timestampMs());
          assertTrue(previous == null || previous < s.timestampMs(), "out of order");
          if (seen[series] == null) {
            seen[series] = new int[fleet.rounds()];
          }
          seen[series][round]++;
        }
      }
    }
    for (int[] rounds : seen) {
      assertArrayEquals(new int[] {1, 1, 1, 1}, rounds);
    }
    assertEquals(compressed, plan.compressedBytes());
    assertTrue(plan.rawBytes() > 2 * plan.compressedBytes(), "labels repeat, snappy must pay");
  }

  @Test
  void labelsAreSortedAndCarryTheFleetLabels() throws Exception {
    Fleet fleet = new Fleet(400, 1, START, 1, 15_000);
    IngestPlan plan = IngestPlan.build(fleet, 1, 2000, 1);
    List<WriteRequestDecoder.Sample> samples = WriteRequestDecoder.decode(plan.requests(0)[0]);
    assertEquals(400, samples.size());
    for (WriteRequestDecoder.Sample s : samples) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < s.labels().size(); i += 2) {
        names.add(s.labels().get(i));
      }
      List<String> sorted = new ArrayList<>(names);
      sorted.sort(null);
      assertEquals(sorted, names);
      assertEquals("__name__", names.get(0));
      assertTrue(names.containsAll(List.of("cluster", "instance", "job", "namespace", "node",
          "pod")), names.toString());
    }
  }

  @Test
  void sameSeedGivesIdenticalRequests() throws Exception {
    Fleet a = new Fleet(300, 5, START, 2, 15_000);
    Fleet b = new Fleet(300, 5, START, 2, 15_000);
    IngestPlan pa = IngestPlan.build(a, 2, 100, 2);
    IngestPlan pb = IngestPlan.build(b, 2, 100, 1);
    for (int s = 0; s < 2; s++) {
      assertEquals(pa.requests(s).length, pb.requests(s).length);
      for (int i = 0; i < pa.requests(s).length; i++) {
        assertArrayEquals(pa.requests(s)[i], pb.requests(s)[i]);
      }
    }
  }
}

package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /api/v1/status/tsdb against Prometheus 3.5 on the same remote-written head: the same
 * fields, counts and top lists. Prometheus orders equal counts arbitrarily, so lists are compared
 * with ties sorted by name. Left out: memoryInBytesByLabelName, where 2.42 counts each value
 * once but Prometheus 3 (our target) counts it once per series; that one is checked against the
 * 3.x rule.
 */
class StorageStatusVsPrometheusIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  static List<PromPb.Series> data(long t0) {
    List<PromPb.Series> out = new ArrayList<>();
    // metric m<i> has i+1 series; job values j0..j<i> so every count differs.
    for (int i = 0; i < 4; i++) {
      for (int k = 0; k <= i; k++) {
        out.add(PromPb.Series.raw(new String[] {"__name__", "m" + i, "job", "j" + k,
            "instance", "host-" + "x".repeat(i + k)}, new long[] {t0 + i, t0 + 60_000 + k},
            new double[] {i, k}));
      }
    }
    return out;
  }

  private static JsonNode normalized(JsonNode doc) {
    ObjectNode d = (ObjectNode) doc.path("data").deepCopy();
    d.remove("memoryInBytesByLabelName");
    for (String list : new String[] {"seriesCountByMetricName", "labelValueCountByLabelName",
        "seriesCountByLabelValuePair"}) {
      List<JsonNode> entries = new ArrayList<>();
      d.path(list).forEach(entries::add);
      // Which of several equal smallest entries make the cut is arbitrary in Prometheus.
      long min = entries.stream().mapToLong(e -> e.path("value").asLong()).min().orElse(0);
      if (entries.size() == 10) {
        entries.forEach(e -> {
          if (e.path("value").asLong() == min) {
            ((ObjectNode) e).put("name", "(tie)");
          }
        });
      }
      entries.sort(Comparator.comparingLong((JsonNode e) -> -e.path("value").asLong())
          .thenComparing(e -> e.path("name").asText()));
      d.putArray(list).addAll(entries);
    }
    return d;
  }

  @Test
  void sameAnswerAsPrometheus() throws Exception {
    long t0 = System.currentTimeMillis() - 10 * 60_000;
    byte[] req = PromPb.writeRequest(data(t0), List.of());
    try (TestServer ours = new TestServer(dir.resolve("tsdb"));
        Prometheus ref = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("prom")).start()) {
      assertEquals(204, ours.write(req).statusCode());
      assertEquals(204, ref.write(req).statusCode());
      // Without a limit parameter both answer with the default 10.
      JsonNode a = JSON.readTree(ours.get("/api/v1/status/tsdb").body());
      JsonNode b = JSON.readTree(ref.get("/api/v1/status/tsdb").body());
      assertEquals(normalized(b).toPrettyString(), normalized(a).toPrettyString());
      // instance values host-, host-x, ... (lengths 5..11) on 1, 2, 2, 2, 1, 1, 1 series.
      assertEquals("{\"name\":\"instance\",\"value\":80}",
          a.path("data").path("memoryInBytesByLabelName").get(0).toString());
      JsonNode all = JSON.readTree(ours.get("/api/v1/status/tsdb?limit=100").body());
      assertEquals(15, all.path("data").path("seriesCountByLabelValuePair").size());
    }
  }
}

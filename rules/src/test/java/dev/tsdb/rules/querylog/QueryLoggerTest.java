package dev.tsdb.rules.querylog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** query_log_file lines against the ones Prometheus 3.5 wrote for the same queries. */
class QueryLoggerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Prometheus 3.5.3's lines for an instant, a range and a rule query (query_log_file). */
  private static final String PROM_INSTANT = "{\"time\":\"2026-12-07T21:11:24.029943675Z\","
      + "\"level\":\"INFO\",\"source\":\"engine.go:662\",\"msg\":\"promql query logged\","
      + "\"params\":{\"end\":\"2023-11-14T22:13:20.000Z\",\"query\":\"up + 1\","
      + "\"start\":\"2023-11-14T22:13:20.000Z\",\"step\":0},\"stats\":{\"timings\":"
      + "{\"evalTotalTime\":0.000088472,\"resultSortTime\":0,\"queryPreparationTime\":"
      + "0.000010245,\"innerEvalTime\":0.000074111,\"execQueueTime\":0.000148382,"
      + "\"execTotalTime\":0.000092708},\"samples\":{\"totalQueryableSamples\":0,"
      + "\"peakSamples\":2}},\"spanID\":\"0000000000000000\",\"httpRequest\":{\"clientIP\":"
      + "\"127.0.0.1\",\"method\":\"GET\",\"path\":\"/api/v1/query\"}}";
  private static final String PROM_RANGE = "{\"time\":\"2026-12-07T21:11:24.0371007Z\","
      + "\"level\":\"INFO\",\"source\":\"engine.go:662\",\"msg\":\"promql query logged\","
      + "\"params\":{\"end\":\"2023-11-14T22:14:20.000Z\",\"query\":\"sum(up)\","
      + "\"start\":\"2023-11-14T22:13:20.000Z\",\"step\":15},\"stats\":{\"timings\":"
      + "{\"evalTotalTime\":0.000020781,\"resultSortTime\":7.01e-7,\"queryPreparationTime\":"
      + "0.000005959,\"innerEvalTime\":0.000010726,\"execQueueTime\":0.000034031,"
      + "\"execTotalTime\":0.000025919},\"samples\":{\"totalQueryableSamples\":0,"
      + "\"peakSamples\":0}},\"spanID\":\"0000000000000000\",\"httpRequest\":{\"clientIP\":"
      + "\"127.0.0.1\",\"method\":\"GET\",\"path\":\"/api/v1/query_range\"}}";
  private static final String PROM_RULE = "{\"time\":\"2026-12-07T21:11:28.71964566Z\","
      + "\"level\":\"INFO\",\"source\":\"engine.go:662\",\"msg\":\"promql query logged\","
      + "\"params\":{\"end\":\"2026-12-07T21:11:28.719Z\",\"query\":\"vector(1)\","
      + "\"start\":\"2026-12-07T21:11:28.719Z\",\"step\":0},\"stats\":{\"timings\":"
      + "{\"evalTotalTime\":0.000036965,\"resultSortTime\":0,\"queryPreparationTime\":"
      + "0.000016414,\"innerEvalTime\":0.000016635,\"execQueueTime\":0.000026139,"
      + "\"execTotalTime\":0.000044437},\"samples\":{\"totalQueryableSamples\":0,"
      + "\"peakSamples\":3}},\"spanID\":\"0000000000000000\",\"ruleGroup\":{\"file\":"
      + "\"r.yml\",\"name\":\"g1\"}}";

  @TempDir
  Path dir;

  private static QueryLogEntry instant() {
    return new QueryLogEntry("up + 1", 1_700_000_000_000L, 1_700_000_000_000L, 0, 88_472, null,
        QueryOrigin.httpRequest("127.0.0.1", "GET", "/api/v1/query"));
  }

  @Test
  void linesHaveTheKeysValuesAndShapesOfPrometheus() throws Exception {
    JsonNode ours = JSON.readTree(QueryLogger.format(instant(), 1_796_677_884_029_943_675L));
    JsonNode prom = JSON.readTree(PROM_INSTANT);
    assertSameShape(prom, ours, "");
    assertEquals(prom.get("params"), ours.get("params"));
    assertEquals(prom.get("httpRequest"), ours.get("httpRequest"));
    assertEquals(prom.get("time").asText(), ours.get("time").asText());
    assertEquals(0.000088472, ours.get("stats").get("timings").get("execTotalTime").asDouble());

    JsonNode range = JSON.readTree(QueryLogger.format(new QueryLogEntry("sum(up)",
        1_700_000_000_000L, 1_700_000_060_000L, 15_000, 1000, null,
        QueryOrigin.httpRequest("127.0.0.1", "GET", "/api/v1/query_range")), 0));
    assertSameShape(JSON.readTree(PROM_RANGE), range, "");
    assertEquals(JSON.readTree(PROM_RANGE).get("params"), range.get("params"));

    List<String> lines = new ArrayList<>();
    QueryOrigin.inRuleGroup("r.yml", "g1", () -> lines.add(QueryLogger.format(
        new QueryLogEntry("vector(1)", 0, 0, 0, 1, null, QueryOrigin.current()), 0)));
    assertSameShape(JSON.readTree(PROM_RULE), JSON.readTree(lines.get(0)), "");
    assertEquals(Map.of(), QueryOrigin.current(), "origin restored after the group");
  }

  /** Same keys in the same order, same JSON node types, recursively. */
  private static void assertSameShape(JsonNode want, JsonNode got, String path) {
    assertEquals(want.getNodeType(), got.getNodeType(), path);
    if (want.isObject()) {
      List<String> wk = new ArrayList<>();
      want.fieldNames().forEachRemaining(wk::add);
      List<String> gk = new ArrayList<>();
      got.fieldNames().forEachRemaining(gk::add);
      assertEquals(wk, gk, path);
      for (Iterator<String> it = want.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        assertSameShape(want.get(k), got.get(k), path + "." + k);
      }
    }
  }

  @Test
  void writesOneLinePerQueryAndReopensOnSetFile() throws Exception {
    Path f = dir.resolve("q.log");
    try (QueryLogger log = new QueryLogger()) {
      assertFalse(log.enabled());
      log.setFile(f.toString());
      assertEquals("x", LoggedQuery.run(log, "up", 1000, 1000, 0, () -> "x",
          QueryOrigin.httpRequest("::1", "POST", "/api/v1/query")));
      // A query that does not parse is not logged; one failing while it runs is, with its error.
      assertThrows(PromQLException.class, () -> LoggedQuery.run(log, "up(", 0, 0, 0, () -> {
        throw new PromQLException(ErrorType.BAD_DATA, "parse error");
      }));
      assertThrows(PromQLException.class, () -> LoggedQuery.run(log, "sum(up)", 0, 60_000,
          15_000, () -> {
            throw new PromQLException(ErrorType.TIMEOUT, "query timed out in expression"
                + " evaluation");
          }));
      List<String> lines = Files.readAllLines(f);
      assertEquals(2, lines.size());
      JsonNode first = JSON.readTree(lines.get(0));
      assertEquals("up", first.get("params").get("query").asText());
      assertEquals("POST", first.get("httpRequest").get("method").asText());
      JsonNode second = JSON.readTree(lines.get(1));
      assertEquals(15, second.get("params").get("step").asInt());
      assertEquals("query timed out in expression evaluation", second.get("error").asText());

      // Rotation: the file is moved away, a reload opens a new one at the name.
      Files.move(f, dir.resolve("q.log.1"));
      log.setFile(f.toString());
      LoggedQuery.run(log, "up", 0, 0, 0, () -> 1);
      assertEquals(1, Files.readAllLines(f).size());
      log.setFile("");
      assertFalse(log.enabled());
      LoggedQuery.run(log, "up", 0, 0, 0, () -> 1);
      assertEquals(1, Files.readAllLines(f).size());
    }
  }

  @Test
  void anUnopenableFileIsAnError() {
    QueryLogger log = new QueryLogger();
    Exception e = assertThrows(java.io.IOException.class,
        () -> log.setFile(dir.resolve("missing/q.log").toString()));
    assertTrue(e.getMessage().startsWith("can't create json log file: open "), e.getMessage());
    assertFalse(log.enabled());
  }
}

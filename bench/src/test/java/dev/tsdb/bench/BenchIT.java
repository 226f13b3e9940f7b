package dev.tsdb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.testkit.reference.PrometheusRelease;
import dev.tsdb.testkit.reference.ReferenceBinaries;
import dev.tsdb.testkit.reference.ReferenceBinaries.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole tool at a tiny size against both real servers: our jar (built by the tsdb-server
 * module earlier in the reactor) and Prometheus 2.42 with its promtool, and the restart scenario
 * against 2.42 and 3.5 in one run (the reference binaries' policy: skipped when missing, failed
 * on CI).
 */
class BenchIT {
  private static final Path JAR = Path.of("..", "tsdb-server", "target", "tsdb-server.jar");

  @TempDir
  Path dir;

  @Test
  void smallRunAgainstBothServersProducesAReport() throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " missing: run `mvn package`"
        + " for tsdb-server first (mvn verify from the root does)");
    Path prometheus = ReferenceBinaries.require(PrometheusRelease.V2_42, Tool.PROMETHEUS);
    Path promtool = ReferenceBinaries.require(PrometheusRelease.V2_42, Tool.PROMTOOL);
    Path md = dir.resolve("report.md");
    Path json = dir.resolve("report.json");
    int exit = Main.run(new String[] {"all", "--series=600", "--rounds=8", "--senders=2",
        "--batch=250", "--settle=0.5", "--after-burst=1", "--first-runs=2", "--warmup=0", "--warmup-seconds=0", "--query-repeat=1",
        "--tsdb-jar=" + JAR, "--prometheus=" + prometheus, "--promtool=" + promtool,
        "--tsdb-heaps=256m", "--work-dir=" + dir.resolve("work"),
        "--out=" + md, "--json=" + json});
    assertEquals(0, exit);

    JsonNode figures = new ObjectMapper().readTree(json.toFile());
    for (String server : new String[] {"tsdb", "prometheus"}) {
      JsonNode run = figures.path(server).path(0);
      assertEquals(600 * 8, run.path("samplesAccepted").asLong(), server);
      assertEquals(0, run.path("failedRequests").asLong(), server);
      assertTrue(run.path("rssSettledBytes").asLong() > 0, server);
      assertEquals(10, run.path("queries").size());
      for (JsonNode q : run.path("queries")) {
        assertTrue(q.path("error").isNull(), server + " " + q);
        assertTrue(q.path("medianMs").asDouble() > 0, server + " " + q);
      }
    }
    for (String server : new String[] {"tsdb", "prometheus"}) {
      JsonNode snapshot = figures.path(server).path(0).path("snapshot");
      assertNull(snapshot.path("error").textValue(), server);
      assertNull(snapshot.path("promtoolError").textValue(), server);
      assertEquals(600 * 8, snapshot.path("promtoolSamples").asLong(), server);
      assertTrue(figures.path(server).path(0).path("walBytes").asLong() > 0, server);
    }

    String report = Files.readString(md);
    for (String section : new String[] {"### Ingestion", "### Memory", "### Queries",
        "### Disk", "| tsdb / prometheus |", "| samples/s accepted (2xx) |"}) {
      assertTrue(report.contains(section), section + " missing in\n" + report);
    }
  }

  @Test
  void restartAgainstPrometheus242And35InOneRun() throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " missing");
    Path p2 = ReferenceBinaries.require(PrometheusRelease.V2_42, Tool.PROMETHEUS);
    Path p3 = ReferenceBinaries.require(PrometheusRelease.V3_5, Tool.PROMETHEUS);
    Path md = dir.resolve("restart.md");
    Path json = dir.resolve("restart.json");
    int exit = Main.run(new String[] {"restart", "--series=600", "--rounds=8", "--senders=2",
        "--batch=250", "--settle=0.5", "--after-burst=0.5,1", "--first-runs=2",
        "--tsdb-jar=" + JAR, "--prometheus=" + p2 + "," + p3, "--tsdb-heaps=256m",
        "--work-dir=" + dir.resolve("work"), "--out=" + md, "--json=" + json});
    assertEquals(0, exit);

    JsonNode figures = new ObjectMapper().readTree(json.toFile());
    for (String server : new String[] {"tsdb", "prometheus 2.42", "prometheus 3.5"}) {
      JsonNode run = figures.path(server).path(0);
      assertEquals(600 * 8, run.path("samplesAccepted").asLong(), server);
      assertEquals(2, run.path("afterBurst").size(), server);
      assertEquals(10, run.path("firstQueries").size(), server);
      JsonNode restart = run.path("restart");
      assertTrue(restart.path("readyAfterKillSeconds").asDouble() > 0, server);
      assertTrue(restart.path("readyAfterStopSeconds").asDouble() > 0, server);
      assertTrue(restart.path("walBytes").asLong() > 0, server);
      assertTrue(restart.path("replayAfterKill").asText().contains("replay"), server);
      for (JsonNode q : restart.path("firstQueriesAfterKill")) {
        assertTrue(q.path("error").isNull(), server + " " + q);
        assertEquals(2, q.path("runsMs").size(), server + " " + q);
      }
    }
    assertTrue(figures.path("tsdb").path(0).path("afterBurst").path(0).path("heapUsedBytes")
        .asLong() > 0);
    String report = Files.readString(md);
    for (String s : new String[] {"| tsdb / prometheus 2.42 | tsdb / prometheus 3.5 |",
        "version 3.5", "| restart to ready after SIGKILL, s |",
        "| RSS 1 s after the burst (no forced GC), MiB |", "### First query runs after ingestion",
        "- tsdb after SIGKILL: `WAL replay done in"}) {
      assertTrue(report.contains(s), s + " missing in\n" + report);
    }
  }

  @Test
  void steadyRunFeedsBothServersInRealTimeAndReportsTheirMemory() throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " missing");
    Path md = dir.resolve("steady.md");
    int exit = Main.run(new String[] {"steady", "--series=300", "--rounds=3", "--interval=1",
        "--sample-every=1", "--settle=0.5", "--senders=2", "--tsdb-jar=" + JAR,
        "--work-dir=" + dir.resolve("steady"), "--out=" + md});
    assertEquals(0, exit);
    String report = Files.readString(md);
    for (String s : new String[] {"| tsdb / prometheus |", "| RSS at the end, MiB |",
        "- tsdb: 900 samples accepted, 0 failed requests",
        "- prometheus: 900 samples accepted, 0 failed requests", "RSS over time"}) {
      assertTrue(report.contains(s), s + " missing in\n" + report);
    }
  }
}

package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.testkit.process.TsdbJarServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of the packaged server while its background maintenance runs: one sender writes
 * requests whose sample time advances a second per request, so that with 1m blocks the head is
 * cut (block written, head truncated, WAL checkpointed once it has three 10 MB segments) every
 * few seconds. The server is killed the moment a checkpoint starts (seen in
 * prometheus_tsdb_checkpoint_creations_total) and, after a restart, the moment a head cut or
 * compaction is seen (prometheus_tsdb_compactions_total); after each restart every
 * acknowledged sample is there. The moment of the kill is as close to the step as polling
 * /metrics gets, not synchronized with it: each run kills at a different point in it.
 */
class CrashDuringMaintenanceIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Series per request: large requests of incompressible values fill WAL segments quickly. */
  private static final int SERIES = 2000;
  private static final String[] FLAGS = {"--storage.tsdb.min-block-duration=1m",
      "--storage.tsdb.max-block-duration=3m", "--storage.tsdb.wal-segment-size=10MB",
      "--storage.tsdb.retention.time=1y"};

  @TempDir
  Path dir;

  private final List<Integer> acknowledged = new ArrayList<>();
  private long base;

  /** Request k: one sample per series at base + k seconds, random values. */
  private byte[] request(int k) {
    Random r = new Random(k);
    List<PromPb.Series> series = new ArrayList<>(SERIES);
    for (int j = 0; j < SERIES; j++) {
      series.add(PromPb.Series.raw(new String[] {"__name__", "maint", "s", "" + j},
          new long[] {base + k * 1000L}, new double[] {r.nextDouble()}));
    }
    return PromPb.writeRequest(series, List.of());
  }

  private static double metric(TsdbJarServer s, String name) throws Exception {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(s.get("/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /**
   * Writes requests from {@code first} on while waiting for {@code metric} to grow, then
   * SIGKILLs the server at once; returns the next request number.
   */
  private int writeUntilThenKill(TsdbJarServer s, int first, String metric) throws Exception {
    double before = metric(s, metric);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger next = new AtomicInteger(first);
    List<Throwable> unexpected = new ArrayList<>();
    Thread writer = new Thread(() -> {
      while (!stop.get()) {
        int k = next.get();
        try {
          HttpResponse<String> r = s.write(request(k));
          if (r.statusCode() != 204) {
            synchronized (unexpected) {
              unexpected.add(new AssertionError("request " + k + ": " + r.statusCode() + " "
                  + r.body()));
            }
            return;
          }
          synchronized (acknowledged) {
            acknowledged.add(k);
          }
          next.incrementAndGet();
        } catch (IOException | InterruptedException e) {
          next.incrementAndGet(); // in flight at the kill: its fate is unknown
          return;
        }
      }
    }, "maintenance-writer");
    writer.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (metric(s, metric) <= before) {
      assertTrue(System.nanoTime() < deadline, metric + " never grew; log:\n" + s.logText());
      synchronized (unexpected) {
        assertEquals(List.of(), unexpected);
      }
      Thread.sleep(20);
    }
    s.kill();
    stop.set(true);
    writer.join(60_000);
    assertEquals(List.of(), unexpected);
    return next.get();
  }

  /** Asserts every acknowledged request's samples are served (one series per check). */
  private void assertAcknowledgedPresent(TsdbJarServer s) throws Exception {
    for (int series : new int[] {0, SERIES / 2, SERIES - 1}) {
      long end = base / 1000 + acknowledged.get(acknowledged.size() - 1) + 1;
      HttpResponse<String> r = s.get("/api/v1/query?query=" + TestServer.enc(
          "maint{s=\"" + series + "\"}[" + (end - base / 1000 + 1) + "s]") + "&time=" + end);
      assertEquals(200, r.statusCode(), r.body());
      JsonNode result = JSON.readTree(r.body()).path("data").path("result");
      assertEquals(1, result.size(), r.body());
      java.util.Set<Long> seconds = new java.util.HashSet<>();
      for (JsonNode v : result.get(0).path("values")) {
        seconds.add(Math.round(v.get(0).asDouble()) - base / 1000);
      }
      for (int k : acknowledged) {
        assertTrue(seconds.contains((long) k), "series " + series + ": acknowledged request "
            + k + " lost (of " + acknowledged.size() + ")");
      }
    }
  }

  @Test
  void sigkillDuringCheckpointAndDuringHeadCutLosesNothingAcknowledged() throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("server.log");
    base = (System.currentTimeMillis() - TimeUnit.HOURS.toMillis(3)) / 1000 * 1000;
    int next;
    try (TsdbJarServer s = TsdbJarServer.start(data, log, FLAGS)) {
      next = writeUntilThenKill(s, 0, "prometheus_tsdb_checkpoint_creations_total");
    }
    try (TsdbJarServer s = TsdbJarServer.start(data, log, FLAGS)) {
      assertAcknowledgedPresent(s);
      next = writeUntilThenKill(s, next, "prometheus_tsdb_compactions_total");
    }
    try (TsdbJarServer s = TsdbJarServer.start(data, log, FLAGS)) {
      assertAcknowledgedPresent(s);
      assertEquals(204, s.write(request(next)).statusCode(), "writing goes on");
    }
    System.out.println("CrashDuringMaintenanceIT: " + acknowledged.size()
        + " acknowledged requests of " + SERIES + " samples, all present after two kills");
  }
}

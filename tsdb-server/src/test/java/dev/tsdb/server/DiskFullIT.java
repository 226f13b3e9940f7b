package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.testkit.faults.TmpfsMount;
import dev.tsdb.testkit.process.TsdbJarServer;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory on a real filesystem that fills up (a 2 MiB tmpfs): remote write until
 * ENOSPC is answered 503 (never 4xx, never a false 204), queries, /metrics and /-/healthy keep
 * working, prometheus_tsdb_wal_writes_failed_total counts; once space is freed the refused
 * requests (retried as a sender does) and new ones succeed without a restart; after a SIGKILL
 * and restart every acknowledged sample is there, counted.
 */
class DiskFullIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SERIES = 50;
  private static final int SAMPLES = 10;

  @TempDir Path dir;

  /** Request k: series df{s=j}, samples at base + k*SAMPLES + i (ms). */
  private static byte[] request(long base, int k) {
    List<PromPb.Series> series = new ArrayList<>();
    for (int j = 0; j < SERIES; j++) {
      long[] ts = new long[SAMPLES];
      double[] vs = new double[SAMPLES];
      for (int i = 0; i < SAMPLES; i++) {
        ts[i] = base + (long) k * SAMPLES + i;
        vs[i] = k * 1000.0 + i + j / 100.0;
      }
      series.add(PromPb.Series.raw(new String[] {"__name__", "df", "s", "s" + j}, ts, vs));
    }
    return PromPb.writeRequest(series, List.of());
  }

  private static long storedSamples(TsdbJarServer s, long base) throws Exception {
    long at = base / 1000 + 600;
    HttpResponse<String> r = s.get("/api/v1/query?query="
        + TestServer.enc("sum(count_over_time(df[1h]))") + "&time=" + at);
    assertEquals(200, r.statusCode(), r.body());
    var result = JSON.readTree(r.body()).path("data").path("result");
    return result.isEmpty() ? 0 : Long.parseLong(result.get(0).path("value").get(1).asText());
  }

  private static double walWritesFailed(TsdbJarServer s) throws Exception {
    HttpResponse<String> r = s.get("/metrics");
    assertEquals(200, r.statusCode(), "/metrics works on a full disk");
    Matcher m = Pattern.compile("(?m)^prometheus_tsdb_wal_writes_failed_total (\\S+)$")
        .matcher(r.body());
    assertTrue(m.find(), "prometheus_tsdb_wal_writes_failed_total exported");
    return Double.parseDouble(m.group(1));
  }

  @Test
  void fillFreeAndKillLosesNoAcknowledgedSample() throws Exception {
    Path log = dir.resolve("server.log"); // outside the small filesystem
    long base = (System.currentTimeMillis() - 3_600_000) / 1000 * 1000;
    try (TmpfsMount fs = TmpfsMount.mount(dir.resolve("small"), 2 << 20)) {
      Path data = fs.dir().resolve("data");
      int refused = 0;
      int acknowledged = 0;
      int next = 0;
      TsdbJarServer s = TsdbJarServer.start(data, log);
      try {
        // Ballast to delete later: the space given back once the disk is full.
        Path ballast = fs.dir().resolve("ballast");
        try (OutputStream o = Files.newOutputStream(ballast)) {
          o.write(new byte[512 << 10]);
        }
        // Fill: write until a request is refused five times in a row. As a sender does, a
        // refused request is retried (newer ones would be out of order).
        int refusedInARow = 0;
        while (refusedInARow < 5) {
          assertTrue(next < 20_000, "the disk never filled up");
          int status = s.write(request(base, next)).statusCode();
          if (status == 204) {
            acknowledged++;
            next++;
            refusedInARow = 0;
          } else {
            assertEquals(503, status, "a full disk is a retryable 5xx, never a 4xx");
            refused++;
            refusedInARow++;
          }
        }
        assertTrue(acknowledged > 50, "acknowledged before the disk filled: " + acknowledged);
        System.out.println("DiskFullIT: disk full after " + acknowledged + " acknowledged requests,"
            + " free " + fs.free() + " bytes");

        // Still serving while full.
        assertEquals(200, s.get("/-/healthy").statusCode());
        assertEquals((long) acknowledged * SERIES * SAMPLES, storedSamples(s, base),
            "queries work and show exactly the acknowledged samples");
        assertTrue(walWritesFailed(s) >= refused);
        String logText = Files.readString(log);
        assertTrue(logText.contains("No space left on device"), "the log says what failed");

        // Free space: the sender's retries and new requests succeed without a restart.
        Files.delete(ballast);
        for (int i = 0; i < 20; i++, next++) { // the first one is the refused one, retried
          assertEquals(204, s.write(request(base, next)).statusCode(), "request " + next);
          acknowledged++;
        }
        assertTrue(Files.readString(log).contains("recovered from the write error"),
            "the log says the WAL recovered");
        assertTrue(s.get("/metrics").body().lines()
                .anyMatch(l -> l.matches("tsdb_wal_recoveries_total [1-9].*")),
            "tsdb_wal_recoveries_total counts the recovery");
        assertEquals((long) acknowledged * SERIES * SAMPLES, storedSamples(s, base));
      } finally {
        s.kill(); // SIGKILL: no shutdown, no final WAL sync
      }

      try (TsdbJarServer again = TsdbJarServer.start(data, log)) {
        assertEquals((long) acknowledged * SERIES * SAMPLES, storedSamples(again, base),
            "every acknowledged sample survives the kill");
        assertEquals(204, again.write(request(base, next)).statusCode());
        System.out.println("DiskFullIT: " + acknowledged + " acknowledged requests ("
            + (long) acknowledged * SERIES * SAMPLES + " samples) all present after SIGKILL; "
            + refused + " refusals while the disk was full");
      }
    }
  }
}

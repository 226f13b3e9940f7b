package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.testkit.process.TsdbJarServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the packaged server (a child process): SIGKILL in the middle of concurrent
 * remote writes loses no acknowledged sample and never shows part of a request's samples of a
 * series; a damaged WAL tail is cut off at start-up, everything before it is served, and the
 * cut is logged with segment and offset.
 */
class CrashIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SERIES_PER_REQUEST = 5;
  private static final int SAMPLES_PER_SERIES = 3;

  @TempDir
  Path dir;

  /** Request k of writer w: series crash{writer=w,s=j}, samples at base + 3k + i (ms). */
  private static byte[] request(String metric, int writer, long base, int k) {
    List<PromPb.Series> series = new ArrayList<>();
    for (int j = 0; j < SERIES_PER_REQUEST; j++) {
      long[] ts = new long[SAMPLES_PER_SERIES];
      double[] vs = new double[SAMPLES_PER_SERIES];
      for (int i = 0; i < SAMPLES_PER_SERIES; i++) {
        ts[i] = base + (long) k * SAMPLES_PER_SERIES + i;
        vs[i] = k + i / 10.0;
      }
      series.add(PromPb.Series.raw(new String[] {"__name__", metric, "s", "" + j,
          "writer", "" + writer}, ts, vs));
    }
    return PromPb.writeRequest(series, List.of());
  }

  /** Timestamps (ms) of every sample of every series of {@code metric}, by "writer/s". */
  private static Map<String, Set<Long>> samples(TsdbJarServer s, String metric, long base)
      throws Exception {
    long at = base / 1000 + 3600;
    HttpResponse<String> r = s.get("/api/v1/query?query=" + TestServer.enc(metric + "[2h]")
        + "&time=" + at);
    assertEquals(200, r.statusCode(), r.body());
    Map<String, Set<Long>> out = new HashMap<>();
    for (JsonNode e : JSON.readTree(r.body()).path("data").path("result")) {
      Set<Long> ts = new HashSet<>();
      for (JsonNode v : e.path("values")) {
        ts.add(new BigDecimal(v.get(0).asText()).movePointRight(3).longValueExact());
      }
      out.put(e.path("metric").path("writer").asText() + "/" + e.path("metric").path("s")
          .asText(), ts);
    }
    return out;
  }

  @Test
  void sigkillDuringConcurrentWritesKeepsEveryAcknowledgedRequest() throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("server.log");
    long base = (System.currentTimeMillis() - 3_600_000) / 1000 * 1000;
    int writers = 4;
    List<List<Boolean>> outcomes;
    TsdbJarServer s = TsdbJarServer.start(data, log);
    try {
      outcomes = KillDuringWrites.run(s, writers, 200, 1500,
          (writer, k) -> request("crash", writer, base, k));
    } finally {
      s.close();
    }
    assertTrue(Files.exists(data.resolve("lock")), "a killed server leaves its lock file");

    try (TsdbJarServer again = TsdbJarServer.start(data, log)) {
      Map<String, Set<Long>> found = samples(again, "crash", base);
      int acked = 0;
      int unknownVisible = 0;
      int unknownGone = 0;
      for (int w = 0; w < writers; w++) {
        List<Boolean> mine = outcomes.get(w);
        for (int j = 0; j < SERIES_PER_REQUEST; j++) {
          Set<Long> ts = found.getOrDefault(w + "/" + j, Set.of());
          for (int k = 0; k < mine.size(); k++) {
            int present = 0;
            for (int i = 0; i < SAMPLES_PER_SERIES; i++) {
              if (ts.contains(base + (long) k * SAMPLES_PER_SERIES + i)) {
                present++;
              }
            }
            String where = "writer " + w + " series " + j + " request " + k + " ("
                + (mine.get(k) ? "acknowledged" : "unknown") + ")";
            if (mine.get(k)) {
              assertEquals(SAMPLES_PER_SERIES, present, where + ": acknowledged samples lost");
              acked++;
            } else {
              assertTrue(present == 0 || present == SAMPLES_PER_SERIES,
                  where + ": " + present + " of " + SAMPLES_PER_SERIES + " samples visible");
              if (present == 0) {
                unknownGone++;
              } else {
                unknownVisible++;
              }
            }
          }
          // Nothing beyond what was sent.
          assertEquals(ts.size(), ts.stream().filter(t -> t < base + (long) mine.size()
              * SAMPLES_PER_SERIES).count(), "writer " + w + " series " + j);
        }
      }
      assertTrue(acked >= writers * SERIES_PER_REQUEST * 200, "acknowledged: " + acked);
      // Appending goes on where the replayed data ends.
      int next = outcomes.get(0).size();
      assertEquals(204, again.write(request("crash", 0, base, next)).statusCode());
      System.out.println("CrashIT: " + acked + " acknowledged request-series checked; requests"
          + " in flight at the kill: " + unknownVisible + " series visible, " + unknownGone
          + " not");
    }
    assertFalse(Files.readString(log).contains("level=ERROR"), Files.readString(log));
  }

  // ---- damaged WAL --------------------------------------------------------------------------

  /** One logical WAL record: where its first fragment's header starts, where its data ends. */
  private record WalRecord(long start, long end) {}

  /**
   * The records of a WAL segment (Prometheus's format: 32 KiB pages; fragments with a 7-byte
   * header type|len(2, BE)|crc32c(4, BE); type 0 pads the rest of a page; low 3 type bits:
   * 1 full, 2 first, 3 middle, 4 last; higher bits flag compression).
   */
  private static List<WalRecord> records(Path segment) throws IOException {
    byte[] b = Files.readAllBytes(segment);
    List<WalRecord> out = new ArrayList<>();
    int page = 32 * 1024;
    int pos = 0;
    long start = -1;
    while (pos + 7 <= b.length) {
      int type = b[pos] & 0xff;
      if (type == 0) {
        pos = (pos / page + 1) * page;
        continue;
      }
      int len = ((b[pos + 1] & 0xff) << 8) | (b[pos + 2] & 0xff);
      int kind = type & 0x07;
      if (kind == 1 || kind == 2) {
        start = pos;
      }
      pos += 7 + len;
      if (kind == 1 || kind == 4) {
        out.add(new WalRecord(start, pos));
      }
    }
    return out;
  }

  private static Path lastSegment(Path wal) throws IOException {
    try (Stream<Path> s = Files.list(wal)) {
      return s.filter(p -> p.getFileName().toString().matches("\\d{8}")).max(Path::compareTo)
          .orElseThrow();
    }
  }

  /**
   * Writes {@code n} requests one after the other and stops the server cleanly. The first
   * commit logs a Series record, then each request is one Samples record.
   */
  /**
   * The WAL damage tests stop the server cleanly before damaging the WAL: without this, the chunk
   * snapshot written at that stop would hold the data and the damaged WAL would not be read.
   */
  private static final String WAL_ONLY = "--no-storage.tsdb.memory-snapshot-on-shutdown";

  private Path writeAndStop(Path data, Path log, long base, int n) throws Exception {
    try (TsdbJarServer s = TsdbJarServer.start(data, log, WAL_ONLY)) {
      for (int k = 0; k < n; k++) {
        assertEquals(204, s.write(request("walcut", 0, base, k)).statusCode());
      }
      assertEquals(0, s.stop(), "SIGTERM is a clean stop, exit code 0 as Prometheus");
    }
    assertFalse(Files.exists(data.resolve("lock")), "lock released at SIGTERM");
    String err = Files.readString(log);
    assertTrue(err.contains("msg=\"Received an OS signal, exiting gracefully...\""
        + " signal=terminated"), err);
    assertTrue(err.contains("See you next time!"), err);
    Path seg = lastSegment(data.resolve("wal"));
    assertEquals(n + 1, records(seg).size(), "one Series record, then one record per request");
    return seg;
  }

  /** Which requests are fully visible: a prefix; returns its length (asserts none partial). */
  private static int visiblePrefix(TsdbJarServer s, long base, int n) throws Exception {
    Map<String, Set<Long>> found = samples(s, "walcut", base);
    int prefix = -1;
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < SERIES_PER_REQUEST; j++) {
        Set<Long> ts = found.getOrDefault("0/" + j, Set.of());
        int present = 0;
        for (int i = 0; i < SAMPLES_PER_SERIES; i++) {
          present += ts.contains(base + (long) k * SAMPLES_PER_SERIES + i) ? 1 : 0;
        }
        boolean visible = present == SAMPLES_PER_SERIES;
        assertTrue(visible || present == 0, "request " + k + " series " + j + ": " + present);
        if (prefix < 0 && !visible) {
          prefix = k;
        }
        if (prefix >= 0) {
          assertFalse(visible, "request " + k + " visible after a lost request " + prefix);
        }
      }
    }
    return prefix < 0 ? n : prefix;
  }

  @Test
  void truncatedWalTailIsCutAndLogged() throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("server.log");
    long base = (System.currentTimeMillis() - 3_600_000) / 1000 * 1000;
    int n = 300;
    Path seg = writeAndStop(data, log, base, n);
    WalRecord last = records(seg).get(n);
    long cut = last.start() + (last.end() - last.start()) / 2;
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(cut); // the last request's record is torn in the middle
    }
    Files.writeString(log, "");
    try (TsdbJarServer s = TsdbJarServer.start(data, log, WAL_ONLY)) {
      assertEquals(n - 1, visiblePrefix(s, base, n), "all requests but the torn one");
      String err = s.logText();
      assertTrue(err.contains("segment " + segIndex(seg) + " offset " + last.start()), err);
      assertTrue(err.contains("level=WARN"), err);
      assertEquals(204, s.write(request("walcut", 0, base, n - 1)).statusCode(),
          "the lost request can be sent again");
    }
  }

  @Test
  void walRecordWithBadChecksumAndEverythingAfterItIsDropped() throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("server.log");
    long base = (System.currentTimeMillis() - 3_600_000) / 1000 * 1000;
    int n = 300;
    Path seg = writeAndStop(data, log, base, n);
    int damaged = n / 2; // the record of request damaged - 1
    WalRecord r = records(seg).get(damaged);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, r.start() + 3); // first byte of the CRC
      one.flip();
      byte flipped = (byte) (one.get(0) ^ 0x5a);
      ch.write(ByteBuffer.wrap(new byte[] {flipped}), r.start() + 3);
    }
    Files.writeString(log, "");
    int visible;
    try (TsdbJarServer s = TsdbJarServer.start(data, log, WAL_ONLY)) {
      // The WAL from the damaged record on is dropped; samples that reached a chunk in
      // chunks_head/ before the crash stay (as in Prometheus, whose WAL repair leaves the
      // memory-mapped chunks alone), so at least the prefix before the damage is there.
      visible = visiblePrefix(s, base, n);
      assertTrue(visible >= damaged - 1, visible + " < " + (damaged - 1));
      assertTrue(visible < n, "the samples after the last mapped chunk are gone");
      String err = s.logText();
      assertTrue(err.contains("segment " + segIndex(seg) + " offset " + r.start()), err);
      assertTrue(err.contains("checksum"), err);
    }
    // Repaired for good: the next start finds no damage and the same data.
    Files.writeString(log, "");
    try (TsdbJarServer s = TsdbJarServer.start(data, log, WAL_ONLY)) {
      assertEquals(visible, visiblePrefix(s, base, n));
      assertFalse(s.logText().contains("corruption"), s.logText());
    }
  }

  private static int segIndex(Path seg) {
    return Integer.parseInt(seg.getFileName().toString());
  }
}

package dev.tsdb.server.thanos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.server.thanos.SidecarClient.Matcher;
import dev.tsdb.testkit.process.TsdbJarServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar's shipper over our data directory: the 2h blocks we cut carry what it reads from
 * meta.json, the files it leaves in the data directory (thanos.shipper.json, its upload
 * directory of hard links) do not disturb us across a reload and a restart, and a block's files
 * never change once it is visible (the shipper hard-links them while uploading).
 */
class ThanosShipperIT {
  private static final long HOUR = 3_600_000;
  private static final long STEP = 30_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void blocksAreShippableAndStayUntouched() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("prometheus.yml"), ThanosSidecarIT.CONFIG);
    long end = System.currentTimeMillis() - 60_000;
    long start = end - 7 * HOUR;
    List<PromPb.Series> series = new ArrayList<>();
    String[][] names = {{"__name__", "sh_a", "job", "x"}, {"__name__", "sh_b", "job", "y"}};
    for (String[] labels : names) {
      int n = (int) ((end - start) / STEP) + 1;
      long[] t = new long[n];
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        t[i] = start + i * STEP;
        v[i] = i;
      }
      series.add(PromPb.Series.raw(labels, t, v));
    }
    Map<Path, String> frozen;
    List<String> blocks;
    try (TsdbJarServer s = TsdbJarServer.start(data, dir.resolve("server.log"),
        ThanosSidecarIT.FLAGS)) {
      assertEquals(204, s.write(PromPb.writeRequest(series, List.of())).statusCode());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (blockDirs(data).size() < 2) {
        assertTrue(System.nanoTime() < deadline, "blocks: " + blockDirs(data));
        Thread.sleep(200);
      }
      Thread.sleep(1000); // a block's directory appears complete (renamed into place)
      blocks = blockDirs(data);
      assertTrue(Files.isDirectory(data.resolve("wal")), "IsWALDirAccessible");
      for (String ulid : blocks) {
        checkShippable(data.resolve(ulid), ulid);
      }
      frozen = fingerprints(data, blocks);

      // The shipper's visit: a leftover upload directory of hard links with its own meta.json,
      // its state file written through a temporary file, and a temporary left by a crash.
      for (String ulid : blocks) {
        ship(data, ulid);
      }
      writeShipperMeta(data, blocks);
      Files.writeString(data.resolve("thanos.shipper.json.tmp"), "{\"version\":1");

      assertEquals(200, s.post("/-/reload").statusCode());
      assertEquals(blocks.size(), (int) metric(s, "prometheus_tsdb_blocks_loaded"));
      assertEquals(0, s.stop());
    }
    assertEquals(frozen, fingerprints(data, blocks), "block files unchanged while running");

    try (TsdbJarServer s = TsdbJarServer.start(data, dir.resolve("server.log"),
        ThanosSidecarIT.FLAGS)) {
      assertEquals(blockDirs(data).size(), (int) metric(s, "prometheus_tsdb_blocks_loaded"));
      assertTrue(blockDirs(data).containsAll(blocks));
      // The blocks still serve the sidecar: every sample from the start comes back.
      SidecarClient sidecar = new SidecarClient(s.base());
      assertEquals(start, sidecar.lowestTimestamp());
      SidecarClient.Answer a = sidecar.remoteRead(start, end,
          List.of(Matcher.eq("__name__", "sh_a")));
      assertEquals(200, a.status());
      StreamedReadResponse r = StreamedReadResponse.decode(a.body());
      assertEquals(1, r.series().size());
      int samples = 0;
      for (StreamedReadResponse.Chunk c : r.series().get(0).chunks()) {
        samples += c.t().length;
      }
      assertEquals((int) ((end - start) / STEP) + 1, samples);
      assertTrue(Files.exists(data.resolve("thanos.shipper.json")), "the shipper's state kept");
      assertEquals(0, s.stop());
    }
    assertEquals(frozen, fingerprints(data, blocks), "block files unchanged after a restart");
    String log = Files.readString(dir.resolve("server.log"));
    assertFalse(log.contains("level=error"), log);
    for (String line : log.lines().toList()) {
      assertFalse(line.contains("level=warn") && line.contains("thanos"), line);
    }
  }

  /** What the shipper reads from a block's meta.json before uploading it. */
  private static void checkShippable(Path block, String ulid) throws IOException {
    JsonNode meta = JSON.readTree(block.resolve("meta.json").toFile());
    assertEquals(ulid, meta.path("ulid").asText());
    assertEquals(1, meta.path("version").asInt(), "TSDB meta version 1");
    long min = meta.path("minTime").asLong();
    long max = meta.path("maxTime").asLong();
    assertTrue(min < max && max - min <= 2 * HOUR, meta.toString());
    assertEquals(0, max % (2 * HOUR), "2h block boundaries: " + meta);
    assertTrue(meta.path("stats").path("numSamples").asLong() > 0, "empty blocks are skipped");
    assertEquals(1, meta.path("compaction").path("level").asInt(), "only level 1 is shipped");
    assertEquals(List.of(ulid), JSON.convertValue(meta.path("compaction").path("sources"),
        List.class));
    assertTrue(meta.path("thanos").isMissingNode(), "the shipper adds its section itself");
    assertTrue(Files.isRegularFile(block.resolve("index")));
    try (Stream<Path> chunks = Files.list(block.resolve("chunks"))) {
      assertFalse(chunks.toList().isEmpty(), "segment files");
    }
  }

  /** As the shipper uploads: hard links under thanos/upload/ULID, its meta.json over its own. */
  private static void ship(Path data, String ulid) throws IOException {
    Path src = data.resolve(ulid);
    Path up = data.resolve("thanos").resolve("upload").resolve(ulid);
    Files.createDirectories(up.resolve("chunks"));
    try (Stream<Path> chunks = Files.list(src.resolve("chunks"))) {
      for (Path c : chunks.toList()) {
        Files.createLink(up.resolve("chunks").resolve(c.getFileName()), c);
      }
    }
    Files.createLink(up.resolve("meta.json"), src.resolve("meta.json"));
    Files.createLink(up.resolve("index"), src.resolve("index"));
    ObjectNode meta = (ObjectNode) JSON.readTree(up.resolve("meta.json").toFile());
    ObjectNode thanos = meta.putObject("thanos");
    thanos.putObject("labels").put("cluster", "eu1").put("replica", "0");
    thanos.put("source", "sidecar");
    thanos.putArray("segment_files").add("000001");
    Path tmp = up.resolve("meta.json.tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), meta);
    Files.move(tmp, up.resolve("meta.json"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeShipperMeta(Path data, List<String> uploaded) throws IOException {
    ObjectNode m = JSON.createObjectNode();
    m.put("version", 1);
    uploaded.forEach(m.putArray("uploaded")::add);
    Path tmp = data.resolve("thanos.shipper.json.tmp");
    Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));
    Files.move(tmp, data.resolve("thanos.shipper.json"), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Every file of the blocks: inode, size and content hash (a rewrite in place shows). */
  private static Map<Path, String> fingerprints(Path data, List<String> blocks)
      throws Exception {
    Map<Path, String> out = new TreeMap<>();
    for (String b : blocks) {
      try (Stream<Path> files = Files.walk(data.resolve(b))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          MessageDigest sha = MessageDigest.getInstance("SHA-256");
          String hash = HexFormat.of().formatHex(sha.digest(Files.readAllBytes(f)));
          out.put(data.relativize(f), Files.getAttribute(f, "unix:ino") + " " + Files.size(f)
              + " " + hash);
        }
      }
    }
    return out;
  }

  private static List<String> blockDirs(Path data) throws IOException {
    if (!Files.isDirectory(data)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(data)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-7][0-9A-Z]{25}"))
          .sorted().toList();
    }
  }

  private static double metric(TsdbJarServer s, String name) throws Exception {
    String line = s.get("/metrics").body().lines().filter(l -> l.startsWith(name + " "))
        .findFirst().orElseThrow();
    return Double.parseDouble(line.substring(name.length() + 1).trim());
  }
}

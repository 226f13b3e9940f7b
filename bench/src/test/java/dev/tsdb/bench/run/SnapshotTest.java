package dev.tsdb.bench.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {
  @TempDir
  Path dir;

  @Test
  void sumsPromtoolListRows() {
    // As printed by promtool 2.42 `tsdb list`.
    String out = "BLOCK ULID                  MIN TIME       MAX TIME       DURATION     "
        + "NUM SAMPLES  NUM CHUNKS   NUM SERIES   SIZE\n"
        + "01M84BVKF3CYX64DAF4KTKHWN7  1795442671054  1795442964227  4m53.173s    40000        "
        + "2000         2000         327194\n"
        + "01M84BVKF3CYX64DAF4KTKHWN8  1795442971054  1795443964227  16m33s       10           "
        + "1            1            1000\n";
    long[] counts = new long[2];
    assertNull(Snapshot.parseList(out, counts));
    assertArrayEquals(new long[] {40010, 2001}, counts);
    assertTrue(Snapshot.parseList("BLOCK ULID ...\n", new long[2]).startsWith("promtool listed"));
  }

  @Test
  void diskUsageCountsFilesByPathPart() throws Exception {
    Files.createDirectories(dir.resolve("b1/chunks"));
    Files.write(dir.resolve("b1/chunks/000001"), new byte[100]);
    Files.write(dir.resolve("b1/index"), new byte[30]);
    Files.write(dir.resolve("b1/meta.json"), new byte[7]);
    assertEquals(137, DiskUsage.bytes(dir));
    assertEquals(100, DiskUsage.bytes(dir, "chunks"));
    assertEquals(30, DiskUsage.bytes(dir, "index"));
    assertEquals(0, DiskUsage.bytes(dir.resolve("missing")));
    assertEquals(0, DiskUsage.blockBytes(dir), "b1 is no block name");
    Files.createDirectories(dir.resolve("01M84BVKF3CYX64DAF4KTKHWN7/chunks"));
    Files.write(dir.resolve("01M84BVKF3CYX64DAF4KTKHWN7/chunks/000001"), new byte[50]);
    Files.createDirectories(dir.resolve("snapshots/x"));
    Files.write(dir.resolve("snapshots/x/index"), new byte[9]);
    assertEquals(50, DiskUsage.blockBytes(dir));
    DiskUsage.delete(dir.resolve("01M84BVKF3CYX64DAF4KTKHWN7"));
    DiskUsage.delete(dir.resolve("snapshots"));
    DiskUsage.delete(dir.resolve("b1"));
    assertEquals(0, DiskUsage.bytes(dir));
  }
}

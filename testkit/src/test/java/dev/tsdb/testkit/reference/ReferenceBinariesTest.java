package dev.tsdb.testkit.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.testkit.reference.ReferenceBinaries.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ReferenceBinariesTest {
  @TempDir
  Path dir;

  @AfterEach
  void clearOverride() {
    System.clearProperty("prometheus3.bin");
  }

  private static Path executable(Path p) throws Exception {
    Files.writeString(p, "#!/bin/sh\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  @Test
  void thePropertyMovesARelease() throws Exception {
    System.setProperty("prometheus3.bin", dir.toString());
    assertEquals(dir, PrometheusRelease.V3_5.binDir());
    Path promtool = executable(dir.resolve("promtool"));
    assertEquals(promtool, ReferenceBinaries.require(PrometheusRelease.V3_5, Tool.PROMTOOL));
  }

  @Test
  void alertmanagerGoesByEitherName() throws Exception {
    System.setProperty("prometheus3.bin", dir.toString());
    assertNull(ReferenceBinaries.find(PrometheusRelease.V3_5, Tool.ALERTMANAGER));
    Path am = executable(dir.resolve("alertmanager"));
    assertEquals(am, ReferenceBinaries.find(PrometheusRelease.V3_5, Tool.ALERTMANAGER));
  }

  @Test
  void aMissingBinarySkipsOrFailsOnCiNamingTheInstallCommand() {
    System.setProperty("prometheus3.bin", dir.toString());
    Class<? extends Throwable> expected = ReferenceBinaries.onCi() ? AssertionFailedError.class
        : TestAbortedException.class;
    Throwable t = assertThrows(expected,
        () -> ReferenceBinaries.require(PrometheusRelease.V3_5, Tool.PROMETHEUS));
    assertTrue(t.getMessage().contains("prometheus3.sh"), t.getMessage());
    assertTrue(t.getMessage().contains(dir.toString()), t.getMessage());
  }
}

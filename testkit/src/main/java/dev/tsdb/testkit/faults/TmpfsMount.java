package dev.tsdb.testkit.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted for one test: a real filesystem that fills up (ENOSPC) at a known size.
 * Needs root (CI runs as root): elsewhere the test is skipped with the reason, on CI
 * ({@code CI=true}) it fails. Closing unmounts it.
 */
public final class TmpfsMount implements AutoCloseable {
  private final Path dir;

  private TmpfsMount(Path dir) {
    this.dir = dir;
  }

  /** Mounts a tmpfs of {@code bytes} (rounded up to KiB) on {@code dir}, created if missing. */
  public static TmpfsMount mount(Path dir, long bytes) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    String out = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + (bytes + 1023) / 1024 + "k",
        "tmpfs", dir.toAbsolutePath().toString()));
    if (out != null) {
      String msg = "cannot mount a tmpfs on " + dir + " (needs root): " + out.strip();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(msg + " (CI=true: the full-disk test must run)");
      }
      Assumptions.abort(msg + " (skipped; with CI=true this fails)");
    }
    return new TmpfsMount(dir);
  }

  public Path dir() {
    return dir;
  }

  /** Free bytes on the filesystem. */
  public long free() throws IOException {
    return Files.getFileStore(dir).getUsableSpace();
  }

  /** Runs a command; null when it succeeded, else its output (or the reason it did not run). */
  private static String run(List<String> cmd) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "timed out";
      }
      return p.exitValue() == 0 ? null : out + " (exit " + p.exitValue() + ")";
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() throws InterruptedException {
    String out = run(List.of("umount", dir.toAbsolutePath().toString()));
    if (out != null) {
      run(List.of("umount", "-l", dir.toAbsolutePath().toString())); // still busy: detach
    }
  }
}

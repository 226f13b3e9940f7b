package dev.tsdb.bench.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Apparent sizes (file lengths, not allocated blocks) of files under a directory. */
public final class DiskUsage {
  private DiskUsage() {}

  /** Total bytes of regular files under {@code dir}; 0 if it does not exist. */
  public static long bytes(Path dir) throws IOException {
    return bytes(dir, "");
  }

  /** Bytes of regular files under {@code dir} whose path relative to it contains {@code part}. */
  public static long bytes(Path dir, String part) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> dir.relativize(p).toString().contains(part))
          .mapToLong(p -> {
            try {
              return Files.size(p);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }).sum();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Bytes of the persistent blocks in a data directory: its top-level directories named by a
   * ULID (26 characters of Crockford base 32), the layout both servers use. Snapshots, the WAL
   * and chunks_head are not blocks.
   */
  public static long blockBytes(Path dataDir) throws IOException {
    if (!Files.isDirectory(dataDir)) {
      return 0;
    }
    long total = 0;
    try (Stream<Path> entries = Files.list(dataDir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (Files.isDirectory(p) && p.getFileName().toString().matches("[0-9A-HJKMNP-TV-Z]{26}")) {
          total += bytes(p);
        }
      }
    }
    return total;
  }

  /** Deletes a directory tree; missing files are ignored. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted((a, b) -> b.compareTo(a))::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}

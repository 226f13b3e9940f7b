package dev.tsdb.head.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The chunk snapshot directories of a head directory, named as Prometheus names them:
 * {@code chunk_snapshot.NNNNNN.MMMMMMMMMM} where N is the last WAL segment when the snapshot was
 * taken and M the byte offset in it up to which the WAL was written (the snapshot holds the head
 * as of that point; replay continues there). A snapshot is written into {@code <name>.tmp} and
 * renamed when complete, so a directory with the plain name is always whole. The newest (by N,
 * then M) is the one loaded; older ones are deleted once a newer one exists.
 */
public final class ChunkSnapshotDirs {
  public static final String PREFIX = "chunk_snapshot.";
  private static final String TMP_SUFFIX = ".tmp";

  /** One snapshot directory and the WAL position it was taken at. */
  public record Ref(Path dir, int segment, long offset) {}

  private ChunkSnapshotDirs() {}

  public static String name(int segment, long offset) {
    return String.format("%s%06d.%010d", PREFIX, segment, offset);
  }

  /** Where a snapshot being written lives until it is renamed into place. */
  public static Path tmpFor(Path headDir, int segment, long offset) {
    return headDir.resolve(name(segment, offset) + TMP_SUFFIX);
  }

  /**
   * Parses a directory name; empty for other names (temporary ones included), as Prometheus
   * ignores names that are not {@code prefix + int + "." + int}.
   */
  static Optional<Ref> parse(Path p) {
    String n = p.getFileName().toString();
    if (!n.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = n.substring(PREFIX.length()).split("\\.", -1);
    if (parts.length != 2) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Ref(p, Integer.parseInt(parts[0]), Long.parseLong(parts[1])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static final Comparator<Ref> ORDER =
      Comparator.comparingInt(Ref::segment).thenComparingLong(Ref::offset);

  /** The newest complete snapshot in {@code headDir}. */
  public static Optional<Ref> last(Path headDir) throws IOException {
    try (Stream<Ref> s = list(headDir)) {
      return s.max(ORDER);
    }
  }

  private static Stream<Ref> list(Path headDir) throws IOException {
    if (!Files.isDirectory(headDir)) {
      return Stream.empty();
    }
    try (Stream<Path> s = Files.list(headDir)) {
      return s.filter(Files::isDirectory).map(ChunkSnapshotDirs::parse)
          .flatMap(Optional::stream).toList().stream();
    }
  }

  /** Deletes the snapshots older than (segment, offset). */
  public static void deleteOlder(Path headDir, int segment, long offset) throws IOException {
    Ref bound = new Ref(null, segment, offset);
    try (Stream<Ref> s = list(headDir)) {
      for (Ref r : s.filter(r -> ORDER.compare(r, bound) < 0).toList()) {
        deleteTree(r.dir());
      }
    }
  }

  /** Deletes every snapshot, complete or temporary (a stale or unreadable one). */
  public static void deleteAll(Path headDir) throws IOException {
    deleteTemporary(headDir);
    deleteOlder(headDir, Integer.MAX_VALUE, Long.MAX_VALUE);
  }

  /** Deletes leftovers of snapshots whose writing was interrupted. */
  public static void deleteTemporary(Path headDir) throws IOException {
    if (!Files.isDirectory(headDir)) {
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(headDir,
        PREFIX + "*" + TMP_SUFFIX)) {
      for (Path p : ds) {
        deleteTree(p);
      }
    }
  }

  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}

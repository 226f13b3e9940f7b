package dev.tsdb.blocks.db;

import dev.tsdb.blocks.BlockWriter;
import dev.tsdb.blocks.Ulid;
import dev.tsdb.index.io.FileOps;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * File-system steps on block directories in the data directory:
 * <pre>
 * &lt;data&gt;/&lt;ulid&gt;/                      a block
 * &lt;data&gt;/&lt;ulid&gt;.tmp-for-creation/    being written (removed at open)
 * &lt;data&gt;/&lt;ulid&gt;.tmp-for-deletion/    being deleted (removed at open)
 * &lt;data&gt;/corrupted/&lt;ulid&gt;/            a block that failed to open, kept for inspection
 * </pre>
 */
final class BlockDirs {
  static final String DELETION_SUFFIX = ".tmp-for-deletion";
  static final String CORRUPTED = "corrupted";

  private BlockDirs() {}

  /** Block directories (names that are ULIDs), sorted by name. */
  static List<Path> list(Path dataDir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dataDir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.length() == 26 && Ulid.isValid(name) && Files.isDirectory(p)) {
          out.add(p);
        }
      }
    }
    out.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return out;
  }

  /**
   * Removes unfinished block writes and deletions left by a crash (and Prometheus's older
   * {@code .tmp} names); returns the names removed.
   */
  static List<String> removeLeftovers(Path dataDir) throws IOException {
    List<String> removed = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dataDir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (!Files.isDirectory(p)) {
          continue;
        }
        if (name.endsWith(BlockWriter.TMP_SUFFIX) || name.endsWith(DELETION_SUFFIX)
            || (name.endsWith(".tmp") && Ulid.isValid(name.substring(0, name.length() - 4)))) {
          deleteRecursively(p);
          removed.add(name);
        }
      }
    }
    return removed;
  }

  /** Moves a block aside into {@code corrupted/}; returns where it went. */
  static Path moveToCorrupted(Path dataDir, Path blockDir) throws IOException {
    Path target = dataDir.resolve(CORRUPTED);
    Files.createDirectories(target);
    Path dest = target.resolve(blockDir.getFileName().toString());
    for (int i = 1; Files.exists(dest); i++) {
      dest = target.resolve(blockDir.getFileName() + "." + i);
    }
    Files.move(blockDir, dest, StandardCopyOption.ATOMIC_MOVE);
    syncDir(dataDir);
    return dest;
  }

  /** Renames a block to {@code <ulid>.tmp-for-deletion} so it is never loaded again. */
  static Path markForDeletion(Path blockDir, FileOps files) throws IOException {
    Path dest = blockDir.resolveSibling(blockDir.getFileName() + DELETION_SUFFIX);
    deleteRecursively(dest);
    files.rename(blockDir, dest, StandardCopyOption.ATOMIC_MOVE);
    files.syncDirectory(blockDir.getParent());
    return dest;
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }

  /** Hard-links every file of a block into {@code dest} (created), keeping the layout. */
  static void hardLinkTree(Path src, Path dest) throws IOException {
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Path d = dest.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(d);
        } else {
          try {
            Files.createLink(d, p);
          } catch (FileAlreadyExistsException e) {
            throw e;
          } catch (UnsupportedOperationException | IOException e) {
            Files.copy(p, d); // e.g. another file system: fall back to copying
          }
        }
      }
    }
  }

  static void syncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (!System.getProperty("os.name").startsWith("Windows")) {
        throw e;
      }
    }
  }
}

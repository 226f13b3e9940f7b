package dev.tsdb.index.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file system operations the storage's write side does (WAL segments, checkpoints, block
 * chunks, index, meta): opening files, creating directories, renaming, and fsyncing directories.
 * Production uses {@link #REAL}; tests hand in an implementation whose operations fail at chosen
 * points (full disk, I/O errors, short writes, failed fsyncs, renames or mkdirs), so every error
 * path of the write side can be exercised without a real broken disk.
 */
@FunctionalInterface
public interface FileOps {
  /** The platform's {@link FileChannel#open} and {@link Files} operations. */
  FileOps REAL = FileChannel::open;

  /** Opens {@code file} as {@link FileChannel#open(Path, OpenOption...)} does. */
  FileChannel open(Path file, OpenOption... options) throws IOException;

  /** Creates {@code dir} and missing parents, as {@link Files#createDirectories} does. */
  default void createDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
  }

  /** Renames {@code source} to {@code target} as {@link Files#move} does with {@code options}. */
  default void rename(Path source, Path target, CopyOption... options) throws IOException {
    Files.move(source, target, options);
  }

  /**
   * Makes creations, renames and deletions in {@code dir} durable (fsync of the directory).
   * Platforms that cannot open directories (Windows) skip it: their data files are synced.
   */
  default void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
        throw e;
      }
    }
  }

  /** {@code ops}, or {@link #REAL} when null (options that leave the seam unset). */
  static FileOps orReal(FileOps ops) {
    return ops == null ? REAL : ops;
  }
}

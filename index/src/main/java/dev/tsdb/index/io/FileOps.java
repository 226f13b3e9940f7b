package dev.tsdb.index.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens the files the storage writes (WAL segments, block chunks, index, meta). Production uses
 * {@link #REAL}; tests hand in an implementation whose channels fail on chosen writes or fsyncs
 * (full disk, I/O errors, short writes), so every error path of the write side can be exercised
 * without a real broken disk.
 */
@FunctionalInterface
public interface FileOps {
  /** The platform's {@link FileChannel#open}. */
  FileOps REAL = FileChannel::open;

  /** Opens {@code file} as {@link FileChannel#open(Path, OpenOption...)} does. */
  FileChannel open(Path file, OpenOption... options) throws IOException;

  /** {@code ops}, or {@link #REAL} when null (options that leave the seam unset). */
  static FileOps orReal(FileOps ops) {
    return ops == null ? REAL : ops;
  }
}

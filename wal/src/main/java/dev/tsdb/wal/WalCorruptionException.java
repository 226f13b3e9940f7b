package dev.tsdb.wal;

import dev.tsdb.index.storage.CorruptionException;
import java.nio.file.Path;

/**
 * The WAL is damaged at a known place: segment {@link #segment} of directory {@link #dir}, at
 * byte {@link #offset}, which is where the first damaged record starts. Everything before the
 * offset (and in earlier segments) is intact, so {@link WalRepair#repair} can cut the log there.
 */
public final class WalCorruptionException extends CorruptionException {
  private final Path dir;
  private final int segment;
  private final long offset;

  public WalCorruptionException(Path dir, int segment, long offset, String message, Throwable cause) {
    super("corruption in segment " + WalFormat.segmentPath(dir, segment) + " at " + offset + ": "
        + message, cause);
    this.dir = dir;
    this.segment = segment;
    this.offset = offset;
  }

  /** The directory holding the damaged segment (the WAL itself or a checkpoint directory). */
  public Path dir() {
    return dir;
  }

  public int segment() {
    return segment;
  }

  /** Byte offset in the segment where the damaged record (or bad padding) starts. */
  public long offset() {
    return offset;
  }
}

package dev.tsdb.wal;

import java.nio.file.Path;

/** One segment file: its directory (a WAL or a checkpoint directory) and index. */
public record SegmentRef(Path dir, int index) {
  public Path path() {
    return WalFormat.segmentPath(dir, index);
  }

  @Override
  public String toString() {
    return path().toString();
  }
}

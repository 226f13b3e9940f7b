package dev.tsdb.head.snapshot;

import dev.tsdb.wal.Checkpoint;
import dev.tsdb.wal.SegmentRange;
import dev.tsdb.wal.SegmentRef;
import dev.tsdb.wal.Segments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a chunk snapshot still describes the head together with the WAL after its
 * position N.M. It does when the WAL from N.M on is all there, unchanged: segment N exists and
 * holds at least M bytes, and no checkpoint was made at or after N (a checkpoint means the head
 * was cut and the WAL truncated after the snapshot, so the snapshot holds data the head dropped).
 * Prometheus checks only that the WAL does not end before N; the other checks make the snapshot
 * safe to load by default, after any mix of clean and unclean stops.
 */
public final class ChunkSnapshotCheck {
  private ChunkSnapshotCheck() {}

  /** Why {@code snap} cannot be used with the WAL in {@code walDir}, or empty when it can. */
  public static Optional<String> staleness(Path walDir, ChunkSnapshotDirs.Ref snap)
      throws IOException {
    SegmentRange range = Segments.range(walDir);
    int n = snap.segment();
    if (range.isEmpty()) {
      return Optional.of("the WAL has no segments");
    }
    if (range.last() < n) {
      return Optional.of("the WAL ends at segment " + range.last() + ", before the snapshot's " + n);
    }
    if (range.first() > n) {
      return Optional.of("the WAL starts at segment " + range.first() + ", after the snapshot's "
          + n);
    }
    List<SegmentRef> seg = Segments.list(walDir, n, n);
    long size = seg.isEmpty() ? -1 : Files.size(seg.get(0).path());
    if (size < snap.offset()) {
      return Optional.of("WAL segment " + n + " holds " + size + " bytes, fewer than the "
          + snap.offset() + " the snapshot was taken at");
    }
    Optional<Checkpoint.Ref> cp = Checkpoint.last(walDir);
    if (cp.isPresent() && cp.get().index() >= n) {
      return Optional.of("WAL checkpoint " + cp.get().index() + " was made after the snapshot");
    }
    return Optional.empty();
  }
}

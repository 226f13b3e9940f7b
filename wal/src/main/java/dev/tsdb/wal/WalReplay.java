package dev.tsdb.wal;

import dev.tsdb.wal.record.RecordFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Startup replay of a WAL directory, as Prometheus's head does: all records of the newest
 * checkpoint, then every segment after it, in order. If a segment is damaged, the records
 * before the damage have been delivered, the WAL is {@link WalRepair repaired} (cut at the
 * damage) and replay ends normally; the result says so. Open the {@link Wal} for writing only
 * after this returns.
 *
 * <p>The handler may throw {@link RecordFormatException} for a record it cannot decode; that is
 * treated as corruption at that record (as in Prometheus), so it and everything after is cut.
 */
public final class WalReplay {
  private static final Logger LOG = Logger.getLogger(WalReplay.class.getName());

  /** Receives each record; {@code rec[0, len)} is only valid during the call. */
  @FunctionalInterface
  public interface RecordHandler {
    void accept(byte[] rec, int len) throws IOException;
  }

  /**
   * Told the range of segments to replay (after the checkpoint) before the first record, then
   * each time the segments up to an index are done (for /api/v1/status/walreplay).
   */
  public interface ProgressListener {
    void start(int firstSegment, int lastSegment);

    void segmentsDone(int upTo);
  }

  private static final ProgressListener NO_PROGRESS = new ProgressListener() {
    @Override
    public void start(int firstSegment, int lastSegment) {}

    @Override
    public void segmentsDone(int upTo) {}
  };

  /**
   * @param checkpoint the checkpoint read, if any
   * @param checkpointRecords records read from it
   * @param walRecords records read from segments after it (before any damage)
   * @param corruption the damage that was repaired, or null if the WAL was intact
   */
  public record Result(Optional<Checkpoint.Ref> checkpoint, long checkpointRecords, long walRecords,
      WalCorruptionException corruption) {
    public boolean repaired() {
      return corruption != null;
    }
  }

  private WalReplay() {}

  /**
   * Replays {@code walDir} into {@code handler}.
   *
   * @throws WalCorruptionException if the checkpoint itself is damaged (not repairable: the
   *     series it holds would be silently lost; the caller decides, e.g. start empty)
   */
  public static Result replay(Path walDir, RecordHandler handler) throws IOException {
    return replay(walDir, handler, NO_PROGRESS);
  }

  /** {@link #replay(Path, RecordHandler)} reporting segment progress to {@code progress}. */
  public static Result replay(Path walDir, RecordHandler handler, ProgressListener progress)
      throws IOException {
    return replay(walDir, handler, progress, -1, 0);
  }

  /**
   * Replays only what was logged after byte {@code fromOffset} of segment {@code fromSegment}
   * (where a chunk snapshot holding everything before was taken): no checkpoint, the segments
   * from {@code fromSegment} on. A negative {@code fromSegment} replays everything.
   */
  public static Result replay(Path walDir, RecordHandler handler, ProgressListener progress,
      int fromSegment, long fromOffset) throws IOException {
    if (!Files.isDirectory(walDir)) {
      return new Result(Optional.empty(), 0, 0, null);
    }
    Checkpoint.deleteTemporary(walDir);
    Optional<Checkpoint.Ref> cp = fromSegment >= 0 ? Optional.empty() : Checkpoint.last(walDir);
    long cpRecords = 0;
    int firstSegment = fromSegment >= 0 ? fromSegment : -1;
    if (cp.isPresent()) {
      long[] delivered = new long[1];
      try (WalReader r = WalReader.open(cp.get().dir())) {
        feed(r, handler, delivered, NO_PROGRESS);
      }
      cpRecords = delivered[0];
      firstSegment = cp.get().index() + 1;
    }

    List<SegmentRef> segs = Segments.list(walDir, firstSegment, -1);
    if (cp.isPresent() && !segs.isEmpty() && segs.get(0).index() != firstSegment) {
      LOG.warning("WAL segments start at " + segs.get(0).index() + " but checkpoint "
          + cp.get().index() + " ends at " + (firstSegment - 1) + ": data in between is missing");
    }
    long[] delivered = new long[1];
    if (!segs.isEmpty()) {
      progress.start(segs.get(0).index(), segs.get(segs.size() - 1).index());
    }
    boolean fromStart = fromSegment < 0 || segs.isEmpty() || segs.get(0).index() != fromSegment;
    try (WalReader r = fromStart ? WalReader.open(segs) : WalReader.open(segs, fromOffset)) {
      feed(r, handler, delivered, progress);
      if (!segs.isEmpty()) {
        progress.segmentsDone(segs.get(segs.size() - 1).index());
      }
    } catch (WalCorruptionException e) {
      LOG.warning("WAL replay hit corruption, repairing: " + e.getMessage());
      WalRepair.repair(walDir, e);
      return new Result(cp, cpRecords, delivered[0], e);
    }
    return new Result(cp, cpRecords, delivered[0], null);
  }

  /** Feeds all records; {@code delivered[0]} counts those the handler accepted. */
  private static void feed(WalReader r, RecordHandler handler, long[] delivered,
      ProgressListener progress) throws IOException {
    int seg = -1;
    while (r.next()) {
      SegmentRef at = r.segment();
      if (at != null && at.index() != seg) {
        if (seg >= 0) {
          progress.segmentsDone(at.index() - 1);
        }
        seg = at.index();
      }
      try {
        handler.accept(r.record(), r.recordLength());
      } catch (RecordFormatException e) {
        throw r.corruptionAtRecord("cannot decode record: " + e.getMessage(), e);
      }
      delivered[0]++;
    }
  }
}

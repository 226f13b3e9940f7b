package dev.tsdb.wal;

import static dev.tsdb.wal.WalFormat.PAGE_SIZE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.logging.Logger;

/**
 * Cuts a damaged WAL back to its last good record, as Prometheus's WL.Repair: every segment
 * after the damaged one is deleted (records may depend on earlier ones, e.g. samples on their
 * series record, so nothing after a hole is trusted), and the damaged segment is truncated at the
 * start of the damaged record and zero-padded to the page end. Everything before stays.
 *
 * <p>Run it on a closed directory, before {@link Wal#open}. Each step is idempotent, so a crash
 * during repair just means the next replay finds (and repairs) the same damage again.
 */
public final class WalRepair {
  private static final Logger LOG = Logger.getLogger(WalRepair.class.getName());

  private WalRepair() {}

  /**
   * Repairs {@code walDir} at the location of {@code e}.
   *
   * @throws IOException if the damage is not in {@code walDir} itself (a damaged checkpoint
   *     cannot be repaired: the series it holds would be lost silently)
   */
  public static void repair(Path walDir, WalCorruptionException e) throws IOException {
    Path dir = walDir.toAbsolutePath().normalize();
    if (!e.dir().toAbsolutePath().normalize().equals(dir)) {
      throw new IOException("cannot repair corruption outside of WAL " + walDir + ": " + e.getMessage(), e);
    }
    LOG.warning("Starting WAL corruption repair: segment " + e.segment() + " offset " + e.offset()
        + " in " + walDir + " (" + e.getMessage() + ")");

    List<SegmentRef> segs = Segments.list(walDir);
    // Delete from the newest down so an interrupted repair leaves a gap-free sequence.
    for (int k = segs.size() - 1; k >= 0; k--) {
      SegmentRef s = segs.get(k);
      if (s.index() <= e.segment()) {
        break;
      }
      LOG.warning("Deleting WAL segment " + s.index() + " after the corrupted segment " + e.segment());
      Files.deleteIfExists(s.path());
    }

    Path damaged = WalFormat.segmentPath(walDir, e.segment());
    if (Files.exists(damaged)) {
      try (FileChannel ch = FileChannel.open(damaged, StandardOpenOption.WRITE)) {
        long size = ch.size();
        long cut = Math.min(e.offset(), size);
        ch.truncate(cut);
        // Zero-pad to the page end: a zero type byte marks the rest of the page as empty.
        int pad = (int) ((PAGE_SIZE - cut % PAGE_SIZE) % PAGE_SIZE);
        ByteBuffer zeros = ByteBuffer.allocate(pad);
        long p = cut;
        while (zeros.hasRemaining()) {
          p += ch.write(zeros, p);
        }
        ch.force(true);
        LOG.warning("Truncated WAL segment " + e.segment() + " from " + size + " to " + cut
            + " bytes (kept all records before offset " + cut + ")");
      }
    }
    Segments.fsyncDir(walDir);
  }
}

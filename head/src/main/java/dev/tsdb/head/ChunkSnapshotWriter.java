package dev.tsdb.head;

import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.snapshot.ChunkSnapshotDirs;
import dev.tsdb.index.format.EncodeBuffer;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.wal.Segments;
import dev.tsdb.wal.Wal;
import dev.tsdb.wal.WalFormat;
import dev.tsdb.wal.WalOptions;
import dev.tsdb.wal.record.ChunkSnapshotRecords;
import dev.tsdb.wal.record.ExemplarBatch;
import dev.tsdb.wal.record.MetadataBatch;
import dev.tsdb.wal.record.RecordEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Writes a closed head's chunk snapshot ({@link ChunkSnapshotRecords} in WAL-format segments) as
 * {@code chunk_snapshot.N.M} next to {@code wal/}, N.M being where the closed WAL ends. Written
 * into a temporary directory, fsynced, then renamed, so a crash leaves the previous snapshot (or
 * none) in place; older snapshots are deleted afterwards.
 *
 * <p>Metadata is not part of Prometheus's snapshot; ours keeps it in a {@code metadata/}
 * sub-directory of WAL metadata records, which Prometheus's segment listing skips (not a number).
 */
final class ChunkSnapshotWriter {
  private static final Logger LOG = Logger.getLogger(ChunkSnapshotWriter.class.getName());
  static final String METADATA_DIR = "metadata";
  private static final int EXEMPLARS_PER_RECORD = 10_000;

  private ChunkSnapshotWriter() {}

  /**
   * Why the head cannot be snapshotted, or empty: out-of-order samples have no place in the
   * format, and every older chunk must be in chunks_head/.
   */
  static Optional<String> unsupported(Head h) {
    String[] why = {null};
    h.table.forEach(s -> {
      synchronized (s) {
        if (why[0] != null) {
          return;
        }
        if (s.ooo != null && !s.ooo.isEmpty()) {
          why[0] = "series " + s.id + " holds out-of-order samples";
        }
        int mustBeMapped = heldHeadChunk(s) ? s.nSealed - 1 : s.nSealed;
        for (int i = 0; i < mustBeMapped && why[0] == null; i++) {
          if (!SealedChunk.isMapped(s.sealed[i])) {
            why[0] = "a chunk of series " + s.id + " is not in chunks_head/";
          }
        }
      }
    });
    return Optional.ofNullable(why[0]);
  }

  /**
   * Snapshots {@code h} (closed: no commit can run) into {@code headDir} for the WAL in
   * {@code walDir}. Returns the directory written, or empty when the newest snapshot is already
   * at the WAL's end.
   */
  static Optional<Path> write(Head h, Path headDir, Path walDir, WalOptions walOptions)
      throws IOException {
    int segment = Segments.range(walDir).last();
    long offset = Files.size(Segments.list(walDir, segment, segment).get(0).path());
    Optional<ChunkSnapshotDirs.Ref> prev = ChunkSnapshotDirs.last(headDir);
    if (prev.isPresent() && prev.get().segment() == segment && prev.get().offset() == offset) {
      return Optional.empty(); // nothing logged since it was taken
    }
    Path dir = headDir.resolve(ChunkSnapshotDirs.name(segment, offset));
    Path tmp = ChunkSnapshotDirs.tmpFor(headDir, segment, offset);
    ChunkSnapshotDirs.deleteTree(tmp);
    Files.createDirectories(tmp);
    WalOptions out = WalOptions.DEFAULT.withCompression(walOptions.compression())
        .withSegmentSize(WalFormat.DEFAULT_SEGMENT_SIZE);
    try {
      try (Wal w = Wal.open(tmp, out)) {
        writeSeries(h, w);
        writeTombstones(h, w);
        writeExemplars(h, w);
        w.sync();
      }
      try (Wal w = Wal.open(tmp.resolve(METADATA_DIR), out)) {
        writeMetadata(h, w);
        w.sync();
      }
      Segments.fsyncDir(tmp);
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      Segments.fsyncDir(headDir);
    } catch (IOException | RuntimeException e) {
      try {
        ChunkSnapshotDirs.deleteTree(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    try {
      ChunkSnapshotDirs.deleteOlder(headDir, segment, offset);
    } catch (IOException e) {
      // A newer snapshot is in place; the old one is only ignored disk space.
      LOG.warning("Deleting older chunk snapshots failed: " + e);
    }
    return Optional.of(dir);
  }

  private static void writeSeries(Head h, Wal w) throws IOException {
    EncodeBuffer buf = new EncodeBuffer(1 << 12);
    IOException[] failed = {null};
    h.table.forEach(s -> {
      if (failed[0] != null) {
        return;
      }
      ChunkSnapshotRecords.Series rec;
      synchronized (s) {
        rec = record(s);
      }
      ChunkSnapshotRecords.encodeSeries(rec, buf);
      try {
        w.append(buf);
      } catch (IOException e) {
        failed[0] = e;
      }
    });
    if (failed[0] != null) {
      throw failed[0];
    }
  }

  /**
   * Whether the series' head chunk is its newest sealed chunk, still on the heap and never
   * queued: one restored from a snapshot with no sample appended since. Caller holds the monitor.
   */
  static boolean heldHeadChunk(MemSeries s) {
    return !s.hasOpenChunk() && s.nSealed > 0 && s.nQueued < s.nSealed
        && !SealedChunk.isMapped(s.sealed[s.nSealed - 1]);
  }

  /** The series' snapshot record: its head chunk and newest value. Caller holds the monitor. */
  private static ChunkSnapshotRecords.Series record(MemSeries s) {
    byte enc;
    byte[] chunk;
    long minT;
    if (s.openSamples() > 0) {
      enc = s.openEncoding();
      chunk = s.head != null ? s.head.toBytes() : s.hist.toBytes();
      minT = s.headMinT;
    } else if (heldHeadChunk(s)) {
      byte[] c = s.sealed[s.nSealed - 1];
      enc = SealedChunk.encoding(c);
      chunk = java.util.Arrays.copyOfRange(c, SealedChunk.PREFIX, c.length);
      minT = SealedChunk.minT(c);
    } else {
      return ChunkSnapshotRecords.Series.withoutChunk(s.id, s.labels);
    }
    double last = enc == ChunkEncoding.XOR ? Double.longBitsToDouble(s.lastVBits) : 0;
    return new ChunkSnapshotRecords.Series(s.id, s.labels, minT, s.maxT, enc, chunk, last,
        s.lastHistogram, s.lastFloatHistogram);
  }

  private static void writeTombstones(Head h, Wal w) throws IOException {
    List<long[]> entries = new ArrayList<>();
    h.tombstones.forEach((id, iv) -> {
      for (int i = 0; i < iv.length; i += 2) {
        entries.add(new long[] {id, iv[i], iv[i + 1]});
      }
    });
    int n = entries.size();
    long[] refs = new long[n];
    long[] mints = new long[n];
    long[] maxts = new long[n];
    for (int i = 0; i < n; i++) {
      refs[i] = entries.get(i)[0];
      mints[i] = entries.get(i)[1];
      maxts[i] = entries.get(i)[2];
    }
    EncodeBuffer buf = new EncodeBuffer(16 + n * 12);
    ChunkSnapshotRecords.encodeTombstones(refs, mints, maxts, n, buf);
    w.append(buf);
  }

  private static void writeExemplars(Head h, Wal w) throws IOException {
    ExemplarBatch batch = new ExemplarBatch(1024);
    EncodeBuffer buf = new EncodeBuffer(1 << 16);
    IOException[] failed = {null};
    h.exemplars.forEachInOrder((series, t, v, labels) -> {
      MemSeries s = h.stripes.get(series.hash64(), series);
      if (s == null || failed[0] != null) {
        return; // of a series gone from the head: dropped, as Prometheus does
      }
      batch.add(s.id, t, v, labels);
      if (batch.size >= EXEMPLARS_PER_RECORD) {
        failed[0] = flushExemplars(batch, buf, w);
      }
    });
    if (failed[0] != null) {
      throw failed[0];
    }
    IOException e = flushExemplars(batch, buf, w);
    if (e != null) {
      throw e;
    }
  }

  private static IOException flushExemplars(ExemplarBatch batch, EncodeBuffer buf, Wal w) {
    if (batch.size == 0) {
      return null;
    }
    ChunkSnapshotRecords.encodeExemplars(batch, buf);
    batch.clear();
    try {
      w.append(buf);
      return null;
    } catch (IOException e) {
      return e;
    }
  }

  private static void writeMetadata(Head h, Wal w) throws IOException {
    MetadataBatch batch = new MetadataBatch(1024);
    EncodeBuffer buf = new EncodeBuffer(1 << 16);
    List<MemSeries> with = new ArrayList<>();
    h.table.forEach(s -> {
      if (s.meta != null) {
        with.add(s);
      }
    });
    for (MemSeries s : with) {
      MetricMetadata m = s.meta.metadata();
      batch.add(s.id, MetadataBatch.typeOf(m.type() == null ? "" : m.type()), m.unit(), m.help());
      if (batch.size == 1024) {
        RecordEncoder.metadata(batch, buf);
        w.append(buf);
        batch.clear();
      }
    }
    if (batch.size > 0) {
      RecordEncoder.metadata(batch, buf);
      w.append(buf);
    }
  }
}

package dev.tsdb.head;

import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.snapshot.ChunkSnapshotCheck;
import dev.tsdb.head.snapshot.ChunkSnapshotDirs;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.wal.WalReader;
import dev.tsdb.wal.record.ChunkSnapshotRecords;
import dev.tsdb.wal.record.ExemplarBatch;
import dev.tsdb.wal.record.MetadataBatch;
import dev.tsdb.wal.record.RecordDecoder;
import dev.tsdb.wal.record.RecordType;
import dev.tsdb.wal.record.StringInterner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Loads the newest chunk snapshot into a head being opened (before the WAL replay, after
 * chunks_head/ was scanned): its series with their head chunk, their chunks from chunks_head/,
 * tombstones, exemplars and (ours only) metadata. The WAL is then replayed from the snapshot's
 * position on. A stale snapshot ({@link ChunkSnapshotCheck}), one that cannot be read, or damage
 * repaired in chunks_head/ (the snapshot's series would miss chunks the WAL before the snapshot
 * holds) leads to deleting the snapshots and replaying the whole WAL, as Prometheus does.
 *
 * <p>The snapshot is decoded and checked completely before the head is touched, so a failure
 * leaves the head empty for the full replay.
 */
final class ChunkSnapshotLoader {
  private static final Logger LOG = Logger.getLogger(ChunkSnapshotLoader.class.getName());

  /** What was loaded: the WAL position to replay from and counts for the log. */
  record Loaded(ChunkSnapshotDirs.Ref ref, int series, int headChunks, int tombstones,
      int exemplars, int metadata, long millis) {}

  /** A snapshot decoded in memory. */
  private static final class Decoded {
    final List<ChunkSnapshotRecords.Series> series = new ArrayList<>();
    final List<long[]> tombstones = new ArrayList<>();
    final ExemplarBatch exemplars = new ExemplarBatch(16);
    final MetadataBatch metadata = new MetadataBatch(16);
  }

  private ChunkSnapshotLoader() {}

  /** Loads the newest usable snapshot of {@code headDir} into {@code h}; empty when none. */
  static Optional<Loaded> load(Head h, Path headDir, Path walDir, MappedChunkLoader mapped)
      throws IOException {
    ChunkSnapshotDirs.deleteTemporary(headDir);
    Optional<ChunkSnapshotDirs.Ref> last = ChunkSnapshotDirs.last(headDir);
    if (last.isEmpty()) {
      return Optional.empty();
    }
    ChunkSnapshotDirs.Ref ref = last.get();
    Optional<String> stale = ChunkSnapshotCheck.staleness(walDir, ref);
    String unusable = stale.orElse(h.chunkFiles != null && h.chunkFiles.repair() != null
        ? "chunks_head/ was repaired (" + h.chunkFiles.repair() + ")" : null);
    if (unusable != null) {
      LOG.warning("Chunk snapshot " + ref.dir() + " is not used: " + unusable
          + "; deleting it and replaying the whole WAL");
      ChunkSnapshotDirs.deleteAll(headDir);
      return Optional.empty();
    }
    long start = System.nanoTime();
    Decoded d;
    try {
      d = decode(ref.dir());
    } catch (IOException | RuntimeException e) {
      LOG.warning("Failed to load chunk snapshot " + ref.dir() + ": " + e
          + "; deleting it and replaying the whole WAL");
      ChunkSnapshotDirs.deleteAll(headDir);
      return Optional.empty();
    }
    int headChunks = apply(h, d, mapped);
    long ms = (System.nanoTime() - start) / 1_000_000;
    Loaded l = new Loaded(ref, d.series.size(), headChunks, d.tombstones.size(),
        d.exemplars.size, d.metadata.size, ms);
    LOG.info("Chunk snapshot " + ref.dir().getFileName() + " loaded in " + ms + " ms: "
        + l.series() + " series (" + headChunks + " head chunks), " + l.tombstones()
        + " tombstones, " + l.exemplars() + " exemplars, " + l.metadata() + " metadata");
    return Optional.of(l);
  }

  /** Reads and checks every record; throws on anything malformed. */
  private static Decoded decode(Path dir) throws IOException {
    Decoded d = new Decoded();
    ChunkSnapshotRecords codec = new ChunkSnapshotRecords(StringInterner.NONE);
    ExemplarBatch batch = new ExemplarBatch(1024);
    Set<Long> refs = new HashSet<>();
    Set<Labels> labels = new HashSet<>();
    try (WalReader r = WalReader.open(dir)) {
      while (r.next()) {
        byte[] rec = r.record();
        int len = r.recordLength();
        switch (ChunkSnapshotRecords.type(rec, len)) {
          case ChunkSnapshotRecords.SERIES -> {
            ChunkSnapshotRecords.Series s = codec.decodeSeries(rec, len);
            check(s, refs, labels);
            d.series.add(s);
          }
          case ChunkSnapshotRecords.TOMBSTONES -> codec.decodeTombstones(rec, len,
              (ref, mint, maxt) -> d.tombstones.add(new long[] {ref, mint, maxt}));
          case ChunkSnapshotRecords.EXEMPLARS -> {
            codec.decodeExemplars(rec, len, batch);
            for (int i = 0; i < batch.size; i++) {
              d.exemplars.add(batch.refs[i], batch.ts[i], batch.vs[i], batch.labels[i]);
            }
          }
          default -> throw new IOException("unsupported chunk snapshot record type "
              + ChunkSnapshotRecords.type(rec, len));
        }
      }
    }
    Path md = dir.resolve(ChunkSnapshotWriter.METADATA_DIR);
    if (Files.isDirectory(md)) {
      RecordDecoder dec = new RecordDecoder();
      MetadataBatch batchMd = new MetadataBatch(1024);
      try (WalReader r = WalReader.open(md)) {
        while (r.next()) {
          if (RecordType.of(r.record(), r.recordLength()) != RecordType.METADATA) {
            throw new IOException("unexpected record in the snapshot's metadata");
          }
          dec.metadata(r.record(), r.recordLength(), batchMd);
          for (int i = 0; i < batchMd.size; i++) {
            d.metadata.add(batchMd.refs[i], batchMd.types[i], batchMd.units[i],
                batchMd.helps[i]);
          }
        }
      }
    }
    return d;
  }

  private static void check(ChunkSnapshotRecords.Series s, Set<Long> refs, Set<Labels> labels)
      throws IOException {
    if (s.ref() <= 0 || s.ref() >= Integer.MAX_VALUE) {
      throw new IOException("series ref " + s.ref() + " out of range");
    }
    if (s.labels().isEmpty() || !refs.add(s.ref()) || !labels.add(s.labels())) {
      throw new IOException("series " + s.ref() + " " + s.labels()
          + " is empty or appears twice");
    }
    byte[] c = s.chunk();
    if (c == null) {
      return;
    }
    boolean known = s.encoding() == ChunkEncoding.XOR || s.encoding() == ChunkEncoding.HISTOGRAM
        || s.encoding() == ChunkEncoding.FLOAT_HISTOGRAM;
    int samples = c.length < 2 ? 0 : ((c[0] & 0xff) << 8) | (c[1] & 0xff);
    if (!known || samples == 0 || s.minT() > s.maxT()) {
      throw new IOException("series " + s.ref() + ": head chunk with encoding " + s.encoding()
          + ", " + samples + " samples, time range " + s.minT() + ".." + s.maxT());
    }
    if ((s.encoding() == ChunkEncoding.HISTOGRAM) != (s.lastHistogram() != null)
        || (s.encoding() == ChunkEncoding.FLOAT_HISTOGRAM) != (s.lastFloatHistogram() != null)) {
      throw new IOException("series " + s.ref() + ": last histogram does not match the chunk");
    }
  }

  /** Puts the decoded snapshot into the head; returns the head chunks restored. */
  private static int apply(Head h, Decoded d, MappedChunkLoader mapped) {
    Map<Long, MemSeries> byRef = new HashMap<>(d.series.size() * 2);
    int headChunks = 0;
    for (ChunkSnapshotRecords.Series rec : d.series) {
      MemSeries s = h.createWithId((int) rec.ref(), rec.labels());
      s.walLogged = true; // its series record is in the WAL before the snapshot
      byRef.put(rec.ref(), s);
      mapped.attach(rec.ref(), s, h);
      byte[] c = rec.chunk();
      if (c == null) {
        continue;
      }
      synchronized (s) {
        if (s.nSealed > 0 && SealedChunk.maxT(s.sealed[s.nSealed - 1]) >= rec.minT()) {
          // Completed and written to chunks_head/ after the snapshot (the WAL went on without
          // a new snapshot): the chunks and the WAL after the snapshot hold its samples.
          continue;
        }
        s.restoreSnapshotChunk(SealedChunk.of(rec.minT(), rec.maxT(), rec.encoding(), c,
            c.length), rec.lastValue(), rec.lastHistogram(), rec.lastFloatHistogram());
      }
      h.updateMinMaxTime(rec.minT(), rec.maxT());
      headChunks++;
    }
    for (long[] t : d.tombstones) {
      MemSeries s = byRef.get(t[0]);
      if (s != null && t[1] <= t[2]) {
        h.tombstones.add(s.id, t[1], t[2]);
      }
    }
    ExemplarBatch ex = d.exemplars;
    for (int i = 0; i < ex.size; i++) {
      MemSeries s = byRef.get(ex.refs[i]);
      if (s != null) {
        h.exemplars.add(s.labels, new Exemplar(ex.labels[i], ex.vs[i], ex.ts[i]));
      }
    }
    MetadataBatch md = d.metadata;
    for (int i = 0; i < md.size; i++) {
      MemSeries s = byRef.get(md.refs[i]);
      if (s != null) {
        String type = MetadataBatch.typeName(md.types[i]);
        s.meta = h.metadata.intern(HeadMetadata.familyOf(HeadMetadata.name(s.labels), type),
            new MetricMetadata(type, md.helps[i], md.units[i]));
      }
    }
    return headChunks;
  }
}

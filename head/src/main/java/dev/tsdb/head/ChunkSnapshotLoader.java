package dev.tsdb.head;

import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.snapshot.ChunkSnapshotCheck;
import dev.tsdb.head.snapshot.ChunkSnapshotDirs;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Loads the newest chunk snapshot into a head being opened (before the WAL replay, after
 * chunks_head/ was scanned): its series with their head chunk, their chunks from chunks_head/,
 * tombstones, exemplars and (ours only) metadata. The WAL is then replayed from the snapshot's
 * position on. A stale snapshot ({@link ChunkSnapshotCheck}), one that cannot be read, or damage
 * repaired in chunks_head/ (the snapshot's series would miss chunks the WAL before the snapshot
 * holds) leads to deleting the snapshots and replaying the whole WAL, as Prometheus does.
 *
 * <p>Records are decoded on a thread of their own while the head takes the series; a failure after
 * the first series went in is {@link PartlyLoaded}: {@link Head#open} then starts over.
 */
final class ChunkSnapshotLoader {
  private static final Logger LOG = Logger.getLogger(ChunkSnapshotLoader.class.getName());

  /** What was loaded: the WAL position to replay from and counts for the log. */
  record Loaded(ChunkSnapshotDirs.Ref ref, int series, int headChunks, int tombstones,
      int exemplars, int metadata, long millis) {}

  /** What a snapshot holds besides its series (those are fed to the head as they are read). */
  private static final class Decoded {
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
    Decoded d = new Decoded();
    int[] loaded = {0}; // series put into the head so far
    SeriesFeed feed = new SeriesFeed();
    Thread reader = new Thread(() -> feed.run(() -> decode(ref.dir(), d, feed)),
        "chunk-snapshot-reader");
    reader.setDaemon(true);
    reader.start();
    int headChunks;
    try {
      headChunks = applySeries(h, feed, mapped, loaded);
      reader.join();
      feed.rethrow();
      applyRest(h, d);
    } catch (IOException | RuntimeException | InterruptedException e) {
      feed.abandon();
      LOG.warning("Failed to load chunk snapshot " + ref.dir() + ": " + e
          + "; deleting it and replaying the whole WAL");
      ChunkSnapshotDirs.deleteAll(headDir);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (loaded[0] == 0) {
        return Optional.empty(); // the head is untouched: replay the WAL into it
      }
      throw new PartlyLoaded("chunk snapshot " + ref.dir() + " failed after "
          + loaded[0] + " series were loaded", e);
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    Loaded l = new Loaded(ref, loaded[0], headChunks, d.tombstones.size(),
        d.exemplars.size, d.metadata.size, ms);
    LOG.info("Chunk snapshot " + ref.dir().getFileName() + " loaded in " + ms + " ms: "
        + l.series() + " series (" + headChunks + " head chunks), " + l.tombstones()
        + " tombstones, " + l.exemplars() + " exemplars, " + l.metadata() + " metadata");
    return Optional.of(l);
  }

  /**
   * A snapshot failed after some of its series were put into the head (they are decoded on a
   * thread of their own while the head takes them): the head must be discarded and opened again;
   * the snapshots are deleted by then, so that open replays the whole WAL.
   */
  static final class PartlyLoaded extends IOException {
    PartlyLoaded(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Series records handed from the reading thread to the one filling the head, in batches. */
  private static final class SeriesFeed {
    private static final List<ChunkSnapshotRecords.Series> END = List.of();
    private final BlockingQueue<List<ChunkSnapshotRecords.Series>> queue =
        new ArrayBlockingQueue<>(32);
    private List<ChunkSnapshotRecords.Series> batch = new ArrayList<>(BATCH);
    private volatile boolean abandoned;
    private volatile Throwable failure;

    @FunctionalInterface
    interface Body {
      void run() throws IOException;
    }

    /** Runs the reader, then marks the end (also after a failure, which is kept). */
    void run(Body body) {
      try {
        body.run();
        flush();
      } catch (Throwable t) {
        failure = t;
      } finally {
        offer(END);
      }
    }

    void add(ChunkSnapshotRecords.Series s) {
      batch.add(s);
      if (batch.size() == BATCH) {
        flush();
      }
    }

    private void flush() {
      if (!batch.isEmpty()) {
        offer(batch);
        batch = new ArrayList<>(BATCH);
      }
    }

    private void offer(List<ChunkSnapshotRecords.Series> b) {
      try {
        while (!abandoned && !queue.offer(b, 100, TimeUnit.MILLISECONDS)) {
          // the head side is slower; wait unless it gave up
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abandoned = true;
      }
      if (abandoned) {
        throw new IllegalStateException("chunk snapshot load abandoned");
      }
    }

    /** The next batch, or an empty list at the end. */
    List<ChunkSnapshotRecords.Series> take() throws InterruptedException {
      return queue.take();
    }

    void abandon() {
      abandoned = true;
    }

    void rethrow() throws IOException {
      Throwable t = failure;
      if (t instanceof IOException e) {
        throw e;
      }
      if (t instanceof RuntimeException e) {
        throw e;
      }
      if (t != null) {
        throw new IOException(t);
      }
    }
  }

  private static final int BATCH = 1024;

  /** Reads every record: series into the feed, the rest into {@code d}; throws when malformed. */
  private static void decode(Path dir, Decoded d, SeriesFeed feed) throws IOException {
    ChunkSnapshotRecords codec = new ChunkSnapshotRecords(StringInterner.NONE);
    ExemplarBatch batch = new ExemplarBatch(1024);
    try (WalReader r = WalReader.open(dir)) {
      while (r.next()) {
        byte[] rec = r.record();
        int len = r.recordLength();
        switch (ChunkSnapshotRecords.type(rec, len)) {
          case ChunkSnapshotRecords.SERIES -> {
            ChunkSnapshotRecords.Series s = codec.decodeSeries(rec, len);
            check(s);
            feed.add(s);
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
  }

  private static void check(ChunkSnapshotRecords.Series s) throws IOException {
    if (s.ref() <= 0 || s.ref() >= Integer.MAX_VALUE) {
      throw new IOException("series ref " + s.ref() + " out of range");
    }
    if (s.labels().isEmpty()) {
      throw new IOException("series " + s.ref() + " has no labels");
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

  /**
   * Puts the series the feed delivers into the head (each ref and label set once), with their
   * chunks from chunks_head/ and their head chunk; returns the head chunks restored. The head
   * was empty before, so a ref is the id of the series loaded for it ({@link #check} keeps refs
   * within ids): the head's table tells which refs were loaded.
   */
  private static int applySeries(Head h, SeriesFeed feed, MappedChunkLoader mapped,
      int[] loaded) throws IOException, InterruptedException {
    int headChunks = 0;
    for (List<ChunkSnapshotRecords.Series> b = feed.take(); !b.isEmpty(); b = feed.take()) {
      for (ChunkSnapshotRecords.Series rec : b) {
        if (h.table.get(rec.ref()) != null) {
          throw new IOException("series ref " + rec.ref() + " appears twice");
        }
        MemSeries s = h.createWithId((int) rec.ref(), rec.labels());
        loaded[0]++;
        if (s.id != rec.ref()) {
          throw new IOException("series " + rec.labels() + " appears twice");
        }
        s.walLogged = true; // its series record is in the WAL before the snapshot
        mapped.attach(rec.ref(), s, h);
        if (restoreHeadChunk(h, s, rec)) {
          headChunks++;
        }
      }
    }
    return headChunks;
  }

  private static boolean restoreHeadChunk(Head h, MemSeries s, ChunkSnapshotRecords.Series rec) {
    byte[] c = rec.chunk();
    if (c == null) {
      return false;
    }
    synchronized (s) {
      if (s.nSealed > 0 && SealedChunk.maxT(s.sealed[s.nSealed - 1]) >= rec.minT()) {
        // Completed and written to chunks_head/ after the snapshot (the WAL went on without
        // a new snapshot): the chunks and the WAL after the snapshot hold its samples.
        return false;
      }
      s.restoreSnapshotChunk(SealedChunk.of(rec.minT(), rec.maxT(), rec.encoding(), c,
          c.length), rec.lastValue(), rec.lastHistogram(), rec.lastFloatHistogram());
    }
    h.updateMinMaxTime(rec.minT(), rec.maxT());
    return true;
  }

  /** Tombstones, exemplars and metadata of the loaded series. */
  private static void applyRest(Head h, Decoded d) {
    for (long[] t : d.tombstones) {
      MemSeries s = h.table.get(t[0]);
      if (s != null && t[1] <= t[2]) {
        h.tombstones.add(s.id, t[1], t[2]);
      }
    }
    ExemplarBatch ex = d.exemplars;
    for (int i = 0; i < ex.size; i++) {
      MemSeries s = h.table.get(ex.refs[i]);
      if (s != null) {
        h.exemplars.add(s.labels, new Exemplar(ex.labels[i], ex.vs[i], ex.ts[i]));
      }
    }
    MetadataBatch md = d.metadata;
    for (int i = 0; i < md.size; i++) {
      MemSeries s = h.table.get(md.refs[i]);
      if (s != null) {
        String type = MetadataBatch.typeName(md.types[i]);
        s.meta = h.metadata.intern(HeadMetadata.familyOf(HeadMetadata.name(s.labels), type),
            new MetricMetadata(type, md.helps[i], md.units[i]));
      }
    }
  }
}

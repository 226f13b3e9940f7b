package dev.tsdb.blocks;

import dev.tsdb.blocks.chunks.ChunkReader;
import dev.tsdb.index.format.ChunkMetas;
import dev.tsdb.index.format.IndexPostings;
import dev.tsdb.index.format.IndexReader;
import dev.tsdb.index.postings.PostingsForMatchers;
import dev.tsdb.index.postings.PostingsReader;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkQueryable;
import dev.tsdb.index.storage.CorruptionException;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.Queryable;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * An immutable, persisted block: {@code meta.json}, a memory-mapped index and chunk segments, and
 * tombstones. Opening is lazy and cheap but checks integrity enough to refuse broken blocks with
 * {@link CorruptBlockException}: the index header, TOC, symbol table and postings offset table
 * checksums, the chunk segment headers, and the first and last chunk (which the writers place
 * at the very start and end of the chunk files, so truncation shows there). {@link
 * OpenOptions#verifyChecksums} checks every checksum of every file instead.
 *
 * <p>Queriers hold a reference; {@link #close} waits for them before unmapping the files.
 */
public final class Block implements Queryable, ChunkQueryable, Closeable {
  /**
   * @param verifyChecksums check every CRC of the index and chunk files at open (reads them all)
   * @param verifyChunksOnRead check each chunk's CRC whenever it is read (as Prometheus does)
   */
  public record OpenOptions(boolean verifyChecksums, boolean verifyChunksOnRead) {
    public static final OpenOptions DEFAULT = new OpenOptions(false, true);
    public static final OpenOptions PARANOID = new OpenOptions(true, true);
  }

  private final Path dir;
  private volatile BlockMeta meta;
  private final IndexReader index;
  private final ChunkReader chunks;
  private final PostingsReader postings;
  private volatile Tombstones tombstones;
  private final Object lock = new Object();
  private int pending;
  private boolean closing;

  private Block(Path dir, BlockMeta meta, IndexReader index, ChunkReader chunks,
      Tombstones tombstones) {
    this.dir = dir;
    this.meta = meta;
    this.index = index;
    this.chunks = chunks;
    this.tombstones = tombstones;
    this.postings = new IndexPostingsReader(index);
  }

  public static Block open(Path dir) throws IOException {
    return open(dir, OpenOptions.DEFAULT);
  }

  public static Block open(Path dir, OpenOptions opts) throws IOException {
    BlockMeta meta;
    try {
      meta = BlockMeta.read(dir);
    } catch (IOException e) {
      throw new CorruptBlockException(dir, "reading meta.json: " + e.getMessage(), e);
    }
    IndexReader index = null;
    ChunkReader chunks = null;
    try {
      Path indexFile = dir.resolve("index");
      if (!Files.isRegularFile(indexFile)) {
        throw new CorruptBlockException(dir, "index file missing", null);
      }
      index = IndexReader.open(indexFile, opts.verifyChecksums());
      chunks = ChunkReader.open(dir.resolve("chunks"), opts.verifyChunksOnRead());
      Tombstones tombstones;
      try {
        tombstones = Tombstones.read(dir);
      } catch (IOException e) {
        throw new CorruptBlockException(dir, "reading tombstones: " + e.getMessage(), e);
      }
      if (opts.verifyChecksums()) {
        chunks.verifyAll();
      } else {
        checkEnds(index, chunks);
      }
      return new Block(dir, meta, index, chunks, tombstones);
    } catch (CorruptBlockException e) {
      closeQuietly(index, chunks);
      throw e;
    } catch (CorruptionException e) {
      // Any damaged file (index, chunk segments) makes the block corrupt.
      closeQuietly(index, chunks);
      throw new CorruptBlockException(dir, e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      closeQuietly(index, chunks);
      throw e;
    }
  }

  /** Reads the first series' first chunk and the last series' last chunk, CRC-checked. */
  private static void checkEnds(IndexReader index, ChunkReader chunks) {
    IndexPostings all = index.allPostings();
    if (all.size() == 0) {
      return;
    }
    ChunkMetas metas = new ChunkMetas();
    ChunkReader.ChunkView view = new ChunkReader.ChunkView();
    index.series(all.get(0), metas);
    if (metas.size() > 0) {
      chunks.readVerified(metas.ref(0), view);
    }
    index.series(all.get(all.size() - 1), metas);
    if (metas.size() > 0) {
      chunks.readVerified(metas.ref(metas.size() - 1), view);
    }
  }

  private static void closeQuietly(IndexReader index, ChunkReader chunks) {
    if (index != null) {
      index.close();
    }
    if (chunks != null) {
      chunks.close();
    }
  }

  public Path dir() {
    return dir;
  }

  public BlockMeta meta() {
    return meta;
  }

  public String ulid() {
    return meta.ulid();
  }

  /** First timestamp the block may hold (inclusive). */
  public long minTime() {
    return meta.minTime();
  }

  /** End of the block's range (exclusive). */
  public long maxTime() {
    return meta.maxTime();
  }

  /** Whether the block's range [minTime, maxTime) intersects the closed interval [mint, maxt]. */
  public boolean overlapsClosedInterval(long mint, long maxt) {
    return meta.minTime() <= maxt && mint < meta.maxTime();
  }

  public IndexReader index() {
    return index;
  }

  public ChunkReader chunks() {
    return chunks;
  }

  public Tombstones tombstones() {
    return tombstones;
  }

  /** Chunks read from this block's files since it was opened (including the open checks). */
  public long chunksRead() {
    return chunks.chunksRead();
  }

  PostingsReader postings() {
    return postings;
  }

  /** Bytes on disk: index, chunks, tombstones and meta.json. */
  public long sizeBytes() {
    long n = index.size() + chunks.size();
    try {
      n += Files.size(dir.resolve(BlockMeta.FILE_NAME));
      Path t = dir.resolve(Tombstones.FILE_NAME);
      if (Files.exists(t)) {
        n += Files.size(t);
      }
    } catch (IOException e) {
      // Sizes of the small files are best effort.
    }
    return n;
  }

  private void acquire() {
    synchronized (lock) {
      if (closing) {
        throw new IllegalStateException("block " + meta.ulid() + " is closing");
      }
      pending++;
    }
  }

  void release() {
    synchronized (lock) {
      pending--;
      if (pending == 0) {
        lock.notifyAll();
      }
    }
  }

  @Override
  public Querier querier(long mint, long maxt) {
    acquire();
    return new BlockQuerier(this, mint, maxt);
  }

  @Override
  public ChunkQuerier chunkQuerier(long mint, long maxt) {
    acquire();
    return new BlockChunkQuerier(this, mint, maxt);
  }

  /**
   * Marks [mint, maxt] deleted for every series matching the matchers that has data there,
   * persisting the tombstones file and meta.json's tombstone count.
   */
  public void delete(long mint, long maxt, Matcher... matchers) throws IOException {
    acquire();
    try {
      synchronized (this) {
        RoaringBitmap refs = PostingsForMatchers.select(postings, matchers);
        Map<Long, Intervals> add = new HashMap<>();
        ChunkMetas metas = new ChunkMetas();
        IntIterator it = refs.getIntIterator();
        while (it.hasNext()) {
          long ref = it.next() & 0xffffffffL;
          index.series(ref, metas);
          metas.retainOverlapping(mint, maxt);
          if (metas.size() > 0) {
            add.put(ref, Intervals.of(mint, maxt));
          }
        }
        if (add.isEmpty()) {
          return;
        }
        Map<Long, Intervals> merged = new HashMap<>(tombstones.asMap());
        add.forEach((ref, iv) -> merged.merge(ref, iv, Intervals::addAll));
        Tombstones t = Tombstones.of(merged);
        t.write(dir);
        BlockMeta m = meta.withStats(meta.stats().withTombstones(t.total()));
        m.write(dir);
        tombstones = t;
        meta = m;
      }
    } finally {
      release();
    }
  }

  /**
   * Records in meta.json that compacting this block failed, so the planner stops choosing it
   * (as Prometheus does) instead of failing on it every minute.
   */
  public synchronized void markCompactionFailed() throws IOException {
    BlockMeta.Compaction c = meta.compaction();
    BlockMeta m = meta.withCompaction(new BlockMeta.Compaction(c.level(), c.sources(),
        c.deletable(), c.parents(), true, c.hints()));
    m.write(dir);
    meta = m;
  }

  /** Waits for open queriers to close, then unmaps the files. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closing) {
        return;
      }
      closing = true;
      boolean interrupted = false;
      while (pending > 0) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    index.close();
    chunks.close();
  }

  @Override
  public String toString() {
    return "Block{" + meta.ulid() + " [" + meta.minTime() + ", " + meta.maxTime() + ")}";
  }
}

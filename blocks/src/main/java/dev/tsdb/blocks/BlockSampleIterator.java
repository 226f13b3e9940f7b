package dev.tsdb.blocks;

import dev.tsdb.blocks.chunks.ChunkReader;
import dev.tsdb.blocks.chunks.CorruptChunkException;
import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.chunkenc.XorIterator;
import dev.tsdb.index.format.ChunkMetas;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.ValueType;
import java.io.IOException;

/**
 * Iterates a block series' samples by decoding its XOR chunks straight from the mapped segment
 * files, keeping only samples in [mint, maxt] and not deleted by tombstones. Reusable across
 * series via {@link #reset}; allocates nothing per sample.
 */
final class BlockSampleIterator implements SampleIterator {
  private final XorIterator xor = new XorIterator();
  private final ChunkReader.ChunkView view = new ChunkReader.ChunkView();
  private ChunkReader chunks;
  private ChunkMetas metas;
  private Intervals deleted;
  private long mint;
  private long maxt;
  private int chunk; // index of the chunk being decoded
  private boolean inChunk;
  private boolean hasCurrent;
  private boolean done;
  private Exception err;

  BlockSampleIterator reset(ChunkReader chunks, ChunkMetas metas, Intervals deleted, long mint,
      long maxt) {
    this.chunks = chunks;
    this.metas = metas;
    this.deleted = deleted;
    this.mint = mint;
    this.maxt = maxt;
    this.chunk = -1;
    this.inChunk = false;
    this.hasCurrent = false;
    this.done = false;
    this.err = null;
    return this;
  }

  private boolean openChunk(int i) {
    try {
      chunks.read(metas.ref(i), view);
    } catch (CorruptChunkException | IllegalStateException e) {
      return fail(e);
    }
    if (view.encoding() != ChunkEncoding.XOR) {
      return fail(new IOException("unsupported chunk encoding "
          + ChunkEncoding.name(view.encoding()) + " in block"));
    }
    xor.reset(view.segment(), view.dataOffset(), view.dataLength());
    chunk = i;
    inChunk = true;
    return true;
  }

  private boolean fail(Exception e) {
    err = e;
    done = true;
    hasCurrent = false;
    return false;
  }

  @Override
  public ValueType next() {
    if (done) {
      return ValueType.NONE;
    }
    while (true) {
      if (!inChunk) {
        if (chunk + 1 >= metas.size() || metas.minTime(chunk + 1) > maxt) {
          done = true;
          hasCurrent = false;
          return ValueType.NONE;
        }
        if (!openChunk(chunk + 1)) {
          return ValueType.NONE;
        }
      }
      if (xor.next() == ValueType.NONE) {
        if (xor.error() != null) {
          fail(xor.error());
          return ValueType.NONE;
        }
        inChunk = false;
        continue;
      }
      long t = xor.t();
      if (t < mint) {
        continue;
      }
      if (t > maxt) {
        done = true;
        hasCurrent = false;
        return ValueType.NONE;
      }
      if (!deleted.isEmpty() && deleted.contains(t)) {
        continue;
      }
      hasCurrent = true;
      return ValueType.FLOAT;
    }
  }

  @Override
  public ValueType seek(long t) {
    if (done) {
      return ValueType.NONE;
    }
    if (hasCurrent && xor.t() >= t) {
      return ValueType.FLOAT;
    }
    // Skip whole chunks that end before the target without decoding them.
    if (inChunk && metas.maxTime(chunk) < t) {
      inChunk = false;
    }
    if (!inChunk) {
      int i = chunk + 1;
      while (i < metas.size() && metas.maxTime(i) < t) {
        i++;
      }
      chunk = i - 1;
    }
    ValueType vt;
    while ((vt = next()) != ValueType.NONE) {
      if (xor.t() >= t) {
        return vt;
      }
    }
    return ValueType.NONE;
  }

  @Override
  public long t() {
    return xor.t();
  }

  @Override
  public double v() {
    return xor.v();
  }

  @Override
  public Exception error() {
    return err;
  }
}

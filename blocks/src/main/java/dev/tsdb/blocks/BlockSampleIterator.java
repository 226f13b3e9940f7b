package dev.tsdb.blocks;

import dev.tsdb.blocks.chunks.ChunkReader;
import dev.tsdb.blocks.chunks.CorruptChunkException;
import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.index.format.ChunkMetas;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.ValueType;
import java.io.IOException;

/**
 * Iterates a block series' samples by decoding its chunks (XOR, histogram or float histogram,
 * each with its own decoder) straight from the mapped segment files, keeping only samples in
 * [mint, maxt] and not deleted by tombstones. Reusable across series via {@link #reset};
 * allocates nothing per sample (histograms are read into the caller's instance).
 */
final class BlockSampleIterator extends CurrentDecoder {
  private final ChunkDecoders decoders = new ChunkDecoders();
  private final ChunkReader.ChunkView view = new ChunkReader.ChunkView();
  private ValueType curType = ValueType.NONE; // type of the current sample
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

  BlockSampleIterator() {
    cur = decoders.idle();
  }

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
    this.cur = decoders.idle();
    return this;
  }

  private boolean openChunk(int i) {
    try {
      chunks.read(metas.ref(i), view);
    } catch (CorruptChunkException | IllegalStateException e) {
      return fail(e);
    }
    SampleIterator it = decoders.open(view.encoding(), view.segment(), view.dataOffset(),
        view.dataLength());
    if (it == null) {
      return fail(new IOException("unsupported chunk encoding "
          + ChunkEncoding.name(view.encoding()) + " in block"));
    }
    cur = it;
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
      ValueType vt = cur.next();
      if (vt == ValueType.NONE) {
        if (cur.error() != null) {
          fail(cur.error());
          return ValueType.NONE;
        }
        inChunk = false;
        continue;
      }
      long t = cur.t();
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
      curType = vt;
      return vt;
    }
  }

  @Override
  public ValueType seek(long t) {
    if (done) {
      return ValueType.NONE;
    }
    if (hasCurrent && cur.t() >= t) {
      return curType;
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
      if (cur.t() >= t) {
        return vt;
      }
    }
    return ValueType.NONE;
  }

  @Override
  public Exception error() {
    return err;
  }
}

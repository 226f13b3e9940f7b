package dev.tsdb.blocks;

import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.ValueType;
import java.io.IOException;
import java.util.List;

/**
 * The samples of one series' chunks as handed out by a chunk querier (in time order, any mix of
 * encodings), leaving out those tombstones delete. Compaction and deletion read chunks this way
 * to re-encode them. Between chunks {@code cur} is null.
 */
final class ChunkListIterator extends CurrentDecoder {
  private final ChunkDecoders decoders = new ChunkDecoders();
  private final List<ChunkMeta> chunks;
  private final Intervals deleted;
  private int nextChunk;
  private ValueType curType = ValueType.NONE;
  private Exception err;

  ChunkListIterator(List<ChunkMeta> chunks, Intervals deleted) {
    this.chunks = chunks;
    this.deleted = deleted;
  }

  @Override
  public ValueType next() {
    while (err == null) {
      if (cur == null && !openNext()) {
        break;
      }
      ValueType vt = cur.next();
      if (vt == ValueType.NONE) {
        err = cur.error();
        cur = null;
        continue;
      }
      if (deleted.isEmpty() || !deleted.contains(cur.t())) {
        return curType = vt;
      }
    }
    return curType = ValueType.NONE;
  }

  private boolean openNext() {
    if (nextChunk >= chunks.size()) {
      return false;
    }
    ChunkMeta m = chunks.get(nextChunk++);
    cur = decoders.open(m.encoding(), m.data(), m.data().position(), m.data().remaining());
    if (cur == null) {
      err = new IOException("unsupported chunk encoding " + ChunkEncoding.name(m.encoding()));
      return false;
    }
    return true;
  }

  @Override
  public ValueType seek(long t) {
    if (curType != ValueType.NONE && cur.t() >= t) {
      return curType;
    }
    ValueType vt;
    while ((vt = next()) != ValueType.NONE && cur.t() < t) {
      // forward to the first sample at or after t
    }
    return vt;
  }

  @Override
  public Exception error() {
    return err;
  }
}

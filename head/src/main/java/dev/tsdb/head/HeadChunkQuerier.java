package dev.tsdb.head;

import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.chunkenc.FloatHistogramIterator;
import dev.tsdb.head.chunkenc.HistogramIterator;
import dev.tsdb.head.chunkenc.XorIterator;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkSeries;
import dev.tsdb.index.storage.ChunkSeriesSet;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.SelectRange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The head as encoded chunks within [mint, maxt] (for head cuts into blocks and streamed remote
 * read), each with its encoding (XOR, histogram, float histogram). Sealed chunks lying inside the
 * range are handed out as they are, without copy or re-encoding (they are immutable); chunks
 * crossing a range boundary, the open chunk and series with out-of-order samples or tombstones in
 * range are re-encoded by {@link ChunkReencoder} (at most {@code samplesPerChunk} samples per
 * chunk), so chunks never overlap and never leave the range.
 * Sees the commits published when it was opened, like {@link HeadQuerier}.
 */
final class HeadChunkQuerier implements ChunkQuerier {
  private final Head head;
  private final long mint;
  private final long maxt;
  private final long readerSeq;
  private boolean closed;

  HeadChunkQuerier(Head head, long mint, long maxt, long readerSeq) {
    this.head = head;
    this.mint = mint;
    this.maxt = maxt;
    this.readerSeq = readerSeq;
  }

  @Override
  public ChunkSeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
    SelectRange r = SelectRange.of(mint, maxt, hints);
    if (r.isEmpty()) {
      return ChunkSeriesSet.empty();
    }
    long lo = r.mint();
    long hi = r.maxt();
    List<SeriesSnapshot> snaps = SeriesSnapshot.select(head, readerSeq, lo, hi, sorted, matchers);
    int spc = head.opts.samplesPerChunk;
    return new ChunkSeriesSet() {
      private int i = -1;
      private ChunkSeries cur;
      private Exception err;

      @Override
      public boolean next() {
        while (err == null && ++i < snaps.size()) {
          SeriesSnapshot s = snaps.get(i);
          snaps.set(i, null); // let the snapshot go once consumed
          List<ChunkMeta> chunks;
          try {
            chunks = chunks(s, spc);
          } catch (IOException e) {
            err = e; // a head chunk file segment vanished under the query
            break;
          }
          if (!chunks.isEmpty()) {
            cur = new Chunked(s.labels, chunks);
            return true;
          }
        }
        cur = null;
        return false;
      }

      @Override
      public ChunkSeries at() {
        return cur;
      }

      @Override
      public Exception error() {
        return err;
      }
    };
  }

  private record Chunked(Labels labels, List<ChunkMeta> chunks) implements ChunkSeries {}

  /** The snapshot's samples as non-overlapping chunks within its [mint, maxt]. */
  static List<ChunkMeta> chunks(SeriesSnapshot s, int samplesPerChunk) throws IOException {
    List<ChunkMeta> out = new ArrayList<>(s.to - s.from + 1);
    if (s.oooN > 0 || s.deleted != null) {
      // Merged with out-of-order samples or with deletions: only the sample view is exact.
      ChunkReencoder.encode(s.iterator(null), s.mint, s.maxt, samplesPerChunk, out);
      return out;
    }
    for (int i = s.from; i < s.to; i++) {
      byte[] c = s.sealed[i];
      long cmin = SealedChunk.minT(c);
      long cmax = SealedChunk.maxT(c);
      boolean limited = i == s.to - 1 && s.lastSealedLimit >= 0;
      boolean mapped = SealedChunk.isMapped(c);
      if (!limited && cmin >= s.mint && cmax <= s.maxt) {
        out.add(new ChunkMeta(cmin, cmax, SealedChunk.encoding(c), mapped
            ? MappedChunk.slice(s.files, c) // read in place from the head chunk file's mapping
            : ByteBuffer.wrap(c, SealedChunk.PREFIX, SealedChunk.dataLength(c)).slice()));
        continue;
      }
      int n = limited ? s.lastSealedLimit : SealedChunk.numSamples(c);
      byte[] data = mapped ? MappedChunk.copy(s.files, c) : c;
      int off = mapped ? 0 : SealedChunk.PREFIX;
      int len = mapped ? data.length : SealedChunk.dataLength(c);
      ChunkReencoder.encode(chunkIterator(SealedChunk.encoding(c), data, off, len, n), s.mint,
          s.maxt, samplesPerChunk, out);
    }
    if (s.headCount > 0) {
      ChunkReencoder.encode(chunkIterator(s.headEncoding, s.headBuf, 0, s.headLen, s.headCount),
          s.mint, s.maxt, samplesPerChunk, out);
    }
    return out;
  }

  /** An iterator over the first {@code n} samples of a chunk of the given encoding. */
  static SampleIterator chunkIterator(byte encoding, byte[] b, int off, int len, int n) {
    return switch (encoding) {
      case ChunkEncoding.HISTOGRAM -> new HistogramIterator().reset(b, off, len, n);
      case ChunkEncoding.FLOAT_HISTOGRAM -> new FloatHistogramIterator().reset(b, off, len, n);
      default -> new XorIterator().reset(b, off, len, n);
    };
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      head.iso.closeReader(readerSeq);
    }
  }
}

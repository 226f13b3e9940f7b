package dev.tsdb.head;

import dev.tsdb.head.chunkenc.AppendOutcome;
import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.chunkenc.FloatHistogramAppender;
import dev.tsdb.head.chunkenc.HistogramAppender;
import dev.tsdb.head.chunkenc.XorAppender;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.ValueType;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Re-encodes a sample iterator's samples within [mint, maxt] into chunks: floats into XOR chunks,
 * histograms into histogram chunks and float histograms into float histogram chunks, a new chunk
 * whenever the sample kind changes, a chunk reaches {@code samplesPerChunk} samples, or (for
 * histograms) the appender starts one itself (counter reset, schema change). One use per call.
 * Public for the blocks module, whose compaction and deletion re-encode with the same rules
 * (Prometheus's series-to-chunk encoding).
 */
public final class ChunkReencoder {
  private final List<ChunkMeta> out;
  private final int samplesPerChunk;
  private XorAppender xor;
  private HistogramAppender hist;
  private FloatHistogramAppender floatHist;
  private long first;
  private long last;
  private Histogram h; // refilled per sample
  private FloatHistogram fh;

  private ChunkReencoder(List<ChunkMeta> out, int samplesPerChunk) {
    this.out = out;
    this.samplesPerChunk = samplesPerChunk;
  }

  /** Appends the chunks of {@code it}'s samples within [mint, maxt] to {@code out}. */
  public static void encode(SampleIterator it, long mint, long maxt, int samplesPerChunk,
      List<ChunkMeta> out) {
    ChunkReencoder e = new ChunkReencoder(out, samplesPerChunk);
    for (ValueType vt = it.seek(mint); vt != ValueType.NONE; vt = it.next()) {
      long t = it.t();
      if (t > maxt) {
        break;
      }
      switch (vt) {
        case FLOAT -> e.addFloat(t, it.v());
        case HISTOGRAM -> e.addHistogram(t, e.h = it.atHistogram(e.h));
        default -> e.addFloatHistogram(t, e.fh = it.atFloatHistogram(e.fh));
      }
    }
    e.flush();
  }

  private void addFloat(long t, double v) {
    if (xor == null) {
      flush();
      xor = new XorAppender(Math.min(1024, 16 + samplesPerChunk * 2));
      first = t;
    }
    xor.append(t, v);
    last = t;
    if (xor.numSamples() >= samplesPerChunk) {
      flush();
    }
  }

  private void addHistogram(long t, Histogram v) {
    if (hist == null) {
      flush();
      hist = new HistogramAppender();
      first = t;
    }
    AppendOutcome<HistogramAppender> o = hist.append(t, v, null);
    if (o.kind() == AppendOutcome.Kind.NEW_CHUNK) {
      flush();
      first = t;
    }
    hist = o.appender();
    last = t;
    if (hist.numSamples() >= samplesPerChunk) {
      flush();
    }
  }

  private void addFloatHistogram(long t, FloatHistogram v) {
    if (floatHist == null) {
      flush();
      floatHist = new FloatHistogramAppender();
      first = t;
    }
    AppendOutcome<FloatHistogramAppender> o = floatHist.append(t, v, null);
    if (o.kind() == AppendOutcome.Kind.NEW_CHUNK) {
      flush();
      first = t;
    }
    floatHist = o.appender();
    last = t;
    if (floatHist.numSamples() >= samplesPerChunk) {
      flush();
    }
  }

  /** Emits the open chunk, if any. */
  private void flush() {
    if (xor != null) {
      out.add(new ChunkMeta(first, last, ChunkEncoding.XOR, ByteBuffer.wrap(xor.toBytes())));
      xor = null;
    }
    if (hist != null) {
      out.add(new ChunkMeta(first, last, ChunkEncoding.HISTOGRAM, ByteBuffer.wrap(hist.toBytes())));
      hist = null;
    }
    if (floatHist != null) {
      out.add(new ChunkMeta(first, last, ChunkEncoding.FLOAT_HISTOGRAM,
          ByteBuffer.wrap(floatHist.toBytes())));
      floatHist = null;
    }
  }
}

package dev.tsdb.head.chunkenc;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one series' samples into chunks the way Prometheus 3.5's head does. Histograms: the head's
 * own rules ({@link HistogramChunkCuts} for size and time cuts, the appender for counter resets,
 * schema changes and recodes). Floats (Prometheus's appendPreprocessor): at the range boundary, at
 * an end time predicted once 30 samples are in, at 240 samples, or before the chunk passes 1 KiB.
 * What interop tests compare with Prometheus's chunks.
 */
public final class HeadChunkCutter {
  public static final long CHUNK_RANGE = 2 * 3600 * 1000L;

  private final List<byte[]> done = new ArrayList<>();
  private final HistogramChunkCuts cuts = new HistogramChunkCuts(CHUNK_RANGE);
  private HistogramAppender intApp;
  private FloatHistogramAppender floatApp;
  private XorAppender xorApp;
  private long xorMinTime;
  private long xorMaxTime;
  private long xorNextAt;
  /** What happened, for tests to check their data exercised it. */
  int recodes;
  int appenderCuts;
  int sizeCuts;
  /** Float chunks cut at the predicted end time, the range boundary or 240 samples. */
  int timeCuts;

  private static final int SAMPLES_PER_CHUNK = 120;
  /** The float path assumes a maximal (19-byte) next sample under the 1 KiB limit. */
  private static final int XOR_BYTES_BEFORE_APPEND = 1024 - 19;

  public void append(long t, Histogram h) {
    HistogramAppender prev = intApp;
    if (intApp == null) {
      cuts.start(t);
      intApp = new HistogramAppender();
    } else if (cuts.cutBefore(t, intApp.numSamples(), intApp.byteLength())) {
      done.add(intApp.toBytes());
      intApp = new HistogramAppender();
    } else {
      prev = null;
    }
    AppendOutcome<HistogramAppender> o = intApp.append(t, h, prev);
    count(o.kind(), t);
    if (o.kind() == AppendOutcome.Kind.NEW_CHUNK) {
      done.add(intApp.toBytes());
    }
    intApp = o.appender();
    cuts.appended(t);
  }

  public void append(long t, FloatHistogram h) {
    FloatHistogramAppender prev = floatApp;
    if (floatApp == null) {
      cuts.start(t);
      floatApp = new FloatHistogramAppender();
    } else if (cuts.cutBefore(t, floatApp.numSamples(), floatApp.byteLength())) {
      done.add(floatApp.toBytes());
      floatApp = new FloatHistogramAppender();
    } else {
      prev = null;
    }
    AppendOutcome<FloatHistogramAppender> o = floatApp.append(t, h, prev);
    count(o.kind(), t);
    if (o.kind() == AppendOutcome.Kind.NEW_CHUNK) {
      done.add(floatApp.toBytes());
    }
    floatApp = o.appender();
    cuts.appended(t);
  }

  public void append(long t, double v) {
    if (xorApp == null) {
      cutXor(t);
    } else if (xorApp.byteLength() > XOR_BYTES_BEFORE_APPEND) {
      sizeCuts++;
      cutXor(t);
    }
    int n = xorApp.numSamples();
    if (n == SAMPLES_PER_CHUNK / 4) {
      xorNextAt = ChunkTimes.computeChunkEndTime(xorMinTime, xorMaxTime, xorNextAt, 4);
    }
    if (t >= xorNextAt || n >= SAMPLES_PER_CHUNK * 2) {
      timeCuts++;
      cutXor(t);
    }
    xorApp.append(t, v);
    xorMaxTime = t;
  }

  private void cutXor(long t) {
    if (xorApp != null) {
      done.add(xorApp.toBytes());
    }
    xorApp = new XorAppender();
    xorMinTime = t;
    xorMaxTime = Long.MIN_VALUE;
    xorNextAt = ChunkTimes.rangeEnd(t, CHUNK_RANGE);
  }

  private void count(AppendOutcome.Kind kind, long t) {
    if (kind == AppendOutcome.Kind.RECODED) {
      recodes++;
    } else if (kind == AppendOutcome.Kind.NEW_CHUNK) {
      appenderCuts++;
      cuts.startedByAppender(t);
    }
    sizeCuts = cuts.sizeCuts();
  }

  /** All chunks, the open one last. */
  public List<byte[]> chunks() {
    List<byte[]> all = new ArrayList<>(done);
    if (intApp != null) {
      all.add(intApp.toBytes());
    }
    if (floatApp != null) {
      all.add(floatApp.toBytes());
    }
    if (xorApp != null) {
      all.add(xorApp.toBytes());
    }
    return all;
  }
}

package dev.tsdb.head.chunkenc;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one series' samples into chunks the way Prometheus 3.5's head does. Histograms (memSeries
 * appendHistogram and histogramsAppendPreprocessor): a new chunk at the 2h range boundary or when
 * the chunk is estimated to reach 1 KiB, a counter reset/schema change from the appender, or a
 * recode that replaces the open chunk. Floats (appendPreprocessor): at the range boundary, at an
 * end time predicted once 30 samples are in, at 240 samples, or before the chunk passes 1 KiB.
 * What interop tests compare with Prometheus's chunks.
 */
final class HeadChunkCutter {
  static final long CHUNK_RANGE = 2 * 3600 * 1000L;
  private static final int TARGET_BYTES = 1024;
  private static final int MIN_SAMPLES = 10;
  private static final int SAMPLES_PER_CHUNK = 120;
  /** The float path assumes a maximal (19-byte) next sample under the 1 KiB limit. */
  private static final int XOR_BYTES_BEFORE_APPEND = 1024 - 19;

  private final List<byte[]> done = new ArrayList<>();
  private HistogramAppender intApp;
  private FloatHistogramAppender floatApp;
  private XorAppender xorApp;
  private long minTime;
  private long maxTime;
  private long nextAt;
  private boolean computedEnd;
  /** What happened, for tests to check their data exercised it. */
  int recodes;
  int appenderCuts;
  int sizeCuts;
  /** Float chunks cut at the predicted end time, the range boundary or 240 samples. */
  int timeCuts;

  void append(long t, Histogram h) {
    HistogramAppender prev = intApp;
    boolean created = preprocess(t, intApp == null ? 0 : intApp.numSamples(),
        intApp == null ? 0 : intApp.byteLength(), intApp == null);
    if (created) {
      if (intApp != null) {
        done.add(intApp.toBytes());
      }
      intApp = new HistogramAppender();
    } else {
      prev = null;
    }
    AppendOutcome<HistogramAppender> o = intApp.append(t, h, prev);
    count(o.kind());
    if (o.kind() == AppendOutcome.Kind.NEW_CHUNK) {
      done.add(intApp.toBytes());
      startedByAppender(t);
    }
    intApp = o.appender();
    maxTime = t;
  }

  void append(long t, FloatHistogram h) {
    FloatHistogramAppender prev = floatApp;
    boolean created = preprocess(t, floatApp == null ? 0 : floatApp.numSamples(),
        floatApp == null ? 0 : floatApp.byteLength(), floatApp == null);
    if (created) {
      if (floatApp != null) {
        done.add(floatApp.toBytes());
      }
      floatApp = new FloatHistogramAppender();
    } else {
      prev = null;
    }
    AppendOutcome<FloatHistogramAppender> o = floatApp.append(t, h, prev);
    count(o.kind());
    if (o.kind() == AppendOutcome.Kind.NEW_CHUNK) {
      done.add(floatApp.toBytes());
      startedByAppender(t);
    }
    floatApp = o.appender();
    maxTime = t;
  }

  void append(long t, double v) {
    if (xorApp == null) {
      cutXor(t);
    } else if (xorApp.byteLength() > XOR_BYTES_BEFORE_APPEND) {
      sizeCuts++;
      cutXor(t);
    }
    int n = xorApp.numSamples();
    if (n == SAMPLES_PER_CHUNK / 4) {
      nextAt = chunkEnd(minTime, maxTime, nextAt, 4);
    }
    if (t >= nextAt || n >= SAMPLES_PER_CHUNK * 2) {
      timeCuts++;
      cutXor(t);
    }
    xorApp.append(t, v);
    maxTime = t;
  }

  private void cutXor(long t) {
    if (xorApp != null) {
      done.add(xorApp.toBytes());
    }
    xorApp = new XorAppender();
    cut(t);
  }

  private void count(AppendOutcome.Kind kind) {
    if (kind == AppendOutcome.Kind.RECODED) {
      recodes++;
    } else if (kind == AppendOutcome.Kind.NEW_CHUNK) {
      appenderCuts++;
    }
  }

  private void startedByAppender(long t) {
    minTime = t;
    nextAt = rangeEnd(t);
  }

  /** Whether a new chunk is cut before appending at t. */
  private boolean preprocess(long t, int numSamples, int numBytes, boolean none) {
    if (none) {
      cut(t);
      computedEnd = false;
      return true;
    }
    if (numSamples == 0) {
      minTime = t;
      nextAt = rangeEnd(t);
    }
    long nextRangeStart = computedEnd ? rangeEnd(minTime) : nextAt;
    if (!computedEnd && numBytes >= TARGET_BYTES / 4) {
      nextAt = chunkEnd(minTime, maxTime, nextAt, (double) TARGET_BYTES / numBytes);
      computedEnd = true;
    }
    if ((t >= nextAt || numBytes >= TARGET_BYTES * 2)
        && (numSamples >= MIN_SAMPLES || t >= nextRangeStart)) {
      sizeCuts++;
      cut(t);
      computedEnd = false;
      return true;
    }
    return false;
  }

  private void cut(long t) {
    minTime = t;
    maxTime = Long.MIN_VALUE;
    nextAt = rangeEnd(t);
  }

  private static long rangeEnd(long t) {
    return (t / CHUNK_RANGE) * CHUNK_RANGE + CHUNK_RANGE;
  }

  private static long chunkEnd(long start, long cur, long max, double ratioToFull) {
    double n = (double) (max - start) / ((double) (cur - start + 1) * ratioToFull);
    if (n <= 1) {
      return max;
    }
    return (long) (start + (double) (max - start) / Math.floor(n));
  }

  /** All chunks, the open one last. */
  List<byte[]> chunks() {
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

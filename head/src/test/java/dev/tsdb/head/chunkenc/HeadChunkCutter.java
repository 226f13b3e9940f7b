package dev.tsdb.head.chunkenc;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one series' histograms into chunks the way Prometheus 3.5's head does, with the head's
 * own rules ({@link HistogramChunkCuts} for size and time cuts, the appender for counter resets,
 * schema changes and recodes). What interop tests compare with Prometheus's chunks.
 */
public final class HeadChunkCutter {
  public static final long CHUNK_RANGE = 2 * 3600 * 1000L;

  private final List<byte[]> done = new ArrayList<>();
  private final HistogramChunkCuts cuts = new HistogramChunkCuts(CHUNK_RANGE);
  private HistogramAppender intApp;
  private FloatHistogramAppender floatApp;
  /** What happened, for tests to check their data exercised it. */
  int recodes;
  int appenderCuts;
  int sizeCuts;

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
    return all;
  }
}

package dev.tsdb.head;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.MetricMetadata;
import java.io.IOException;

/**
 * What the head calls on commit BEFORE samples become visible, so a write-ahead log can persist
 * them first. Calls for one commit arrive in order (series, samples, {@link #flush()}) from one
 * thread at a time, in the same order the commits are applied to the head, so replaying the log
 * reproduces the head's decisions. Arrays are reused by the caller: copy what you keep.
 */
public interface HeadWal {
  /** New series (first commit that uses them): head refs and their labels. */
  void logSeries(long[] refs, Labels[] labels, int n) throws IOException;

  /** Float samples of one commit: series ref, timestamp (ms), value (exact bits). */
  void logSamples(long[] refs, long[] ts, double[] vs, int n) throws IOException;

  /**
   * Integer histogram samples of one commit, after its float samples: series ref, timestamp,
   * histogram (not to be kept beyond the call).
   */
  default void logHistograms(long[] refs, long[] ts, Histogram[] hs, int n) throws IOException {}

  /** Float histogram samples of one commit, after its integer histograms. */
  default void logFloatHistograms(long[] refs, long[] ts, FloatHistogram[] hs, int n)
      throws IOException {}

  /** Deleted intervals (inclusive) of series, logged before they apply to queries. */
  default void logTombstones(long[] refs, long[] mints, long[] maxts, int n) throws IOException {}

  /** Exemplars of one commit (after its samples): series ref, time, value, exemplar labels. */
  default void logExemplars(long[] refs, long[] ts, double[] vs, Labels[] labels, int n)
      throws IOException {}

  /** Latest metadata of series (metric type name as in {@link MetricMetadata#type()}). */
  default void logMetadata(long[] refs, MetricMetadata[] metadata, int n) throws IOException {}

  /**
   * Ends a commit: everything logged must be handed to the OS (and fsynced if the log is
   * configured to sync per commit) before this returns; the commit is acknowledged afterwards.
   */
  void flush() throws IOException;

  /** Forces everything written so far to stable storage. */
  void sync() throws IOException;

  /** Releases the log (after a final sync). */
  default void close() throws IOException {}

  /** A log that records nothing. */
  HeadWal NOOP = new HeadWal() {
    @Override
    public void logSeries(long[] refs, Labels[] labels, int n) {}

    @Override
    public void logSamples(long[] refs, long[] ts, double[] vs, int n) {}

    @Override
    public void flush() {}

    @Override
    public void sync() {}
  };
}

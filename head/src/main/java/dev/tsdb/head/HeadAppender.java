package dev.tsdb.head;

import dev.tsdb.labels.Labels;
import dev.tsdb.storage.Appender;
import dev.tsdb.storage.SampleRejectedException;
import dev.tsdb.storage.SampleRejectedException.Reason;
import java.io.IOException;
import java.util.Arrays;

/**
 * Buffers one writer's samples in primitive arrays until commit. Samples are checked against the
 * series when appended (so rejections are reported per sample) and again at commit, where a
 * concurrent commit may have won. Reusable after commit or rollback; not thread-safe.
 */
final class HeadAppender implements Appender {
  private static final int INITIAL = 64;

  private final Head head;
  MemSeries[] series = new MemSeries[INITIAL];
  long[] ts = new long[INITIAL];
  double[] vs = new double[INITIAL];
  int n;

  // Bounds fixed for one batch, as Prometheus fixes them per appender.
  private boolean boundsSet;
  long headMaxt;
  long minValidTime;

  // Scratch for the WAL, reused across commits.
  long[] walRefs = new long[0];
  long[] walSeries = new long[0];
  Labels[] walSeriesLabels = new Labels[0];

  HeadAppender(Head head) {
    this.head = head;
  }

  private void setBounds(long firstT) {
    if (head.maxTime() == Long.MIN_VALUE) {
      head.initTime(firstT); // an empty head takes its time range from the first sample
    }
    headMaxt = head.maxTime();
    minValidTime = head.appendableMinValidTime();
    boundsSet = true;
  }

  @Override
  public long append(long ref, Labels labels, long t, double v) throws SampleRejectedException {
    if (!boundsSet) {
      setBounds(t);
    }
    HeadStats st = head.stats;
    if (t > head.opts.clock.getAsLong() + head.opts.maxFutureMs) {
      st.tooFarInFutureRejected.increment();
      throw SampleRejectedException.of(Reason.TOO_FAR_IN_FUTURE);
    }
    if (head.oooWindow == 0 && t < minValidTime) {
      st.outOfBoundsRejected.increment();
      throw SampleRejectedException.of(Reason.OUT_OF_BOUNDS);
    }
    MemSeries s = ref != 0 ? head.byRef(ref) : null;
    if (s == null) {
      s = head.getOrCreate(labels);
    }
    int r;
    synchronized (s) {
      r = s.appendable(t, Double.doubleToRawLongBits(v), headMaxt, minValidTime, head.oooWindow);
      if (r >= 0) {
        s.pendingCommit = true;
      }
    }
    if (r < 0) {
      throw reject(r, st);
    }
    if (n == ts.length) {
      int cap = n * 2;
      series = Arrays.copyOf(series, cap);
      ts = Arrays.copyOf(ts, cap);
      vs = Arrays.copyOf(vs, cap);
    }
    series[n] = s;
    ts[n] = t;
    vs[n] = v;
    n++;
    return s.id;
  }

  private static SampleRejectedException reject(int r, HeadStats st) {
    switch (r) {
      case MemSeries.ERR_DUPLICATE -> {
        st.duplicateRejected.increment();
        return SampleRejectedException.of(Reason.DUPLICATE);
      }
      case MemSeries.ERR_OUT_OF_BOUNDS -> {
        st.outOfBoundsRejected.increment();
        return SampleRejectedException.of(Reason.OUT_OF_BOUNDS);
      }
      case MemSeries.ERR_TOO_OLD -> {
        st.tooOldRejected.increment();
        return SampleRejectedException.of(Reason.TOO_OLD);
      }
      default -> {
        st.outOfOrderRejected.increment();
        return SampleRejectedException.of(Reason.OUT_OF_ORDER);
      }
    }
  }

  /** Replaces series deleted by truncation since they were appended to. Under the commit lock. */
  void resolveDeleted() {
    for (int i = 0; i < n; i++) {
      MemSeries s = series[i];
      if (s.deleted) {
        try {
          MemSeries fresh = head.getOrCreate(s.labels);
          for (int j = i; j < n; j++) {
            if (series[j] == s) {
              series[j] = fresh;
            }
          }
        } catch (SampleRejectedException e) {
          throw new IllegalStateException(e); // labels were valid when the series was created
        }
      }
    }
  }

  @Override
  public void commit() throws IOException {
    try {
      if (n > 0) {
        head.commit(this);
      }
    } finally {
      reset();
    }
  }

  @Override
  public void rollback() {
    for (int i = 0; i < n; i++) {
      MemSeries s = series[i];
      synchronized (s) {
        s.pendingCommit = false;
      }
    }
    reset();
  }

  private void reset() {
    Arrays.fill(series, 0, n, null);
    n = 0;
    boundsSet = false;
    if (ts.length > 1 << 16) { // do not pin a huge batch's buffers forever
      series = new MemSeries[INITIAL];
      ts = new long[INITIAL];
      vs = new double[INITIAL];
    }
  }
}

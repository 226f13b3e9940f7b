package dev.tsdb.head;

import dev.tsdb.labels.Labels;
import dev.tsdb.storage.Appender;
import dev.tsdb.storage.Exemplar;
import dev.tsdb.storage.MetricMetadata;
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

  // Exemplars and metadata updates of the batch (rare next to samples: objects are fine).
  MemSeries[] exSeries = new MemSeries[0];
  Exemplar[] exemplars = new Exemplar[0];
  int nEx;
  MemSeries[] mdSeries = new MemSeries[0]; // null entry: a family-level update
  String[] mdFamily = new String[0];
  MetricMetadata[] mdValues = new MetricMetadata[0];
  int nMd;

  // Metadata changes computed at commit (series, new metadata), under the commit lock.
  final java.util.List<MemSeries> mdTargets = new java.util.ArrayList<>();
  final java.util.List<SeriesMeta> mdNew = new java.util.ArrayList<>();

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

  @Override
  public void appendExemplar(long ref, Labels labels, Exemplar e) throws SampleRejectedException {
    MemSeries s = ref != 0 ? head.byRef(ref) : null;
    if (s == null && labels != null && !labels.isEmpty()) {
      s = head.stripes.get(labels.hash64(), labels);
    }
    if (s == null) {
      throw SampleRejectedException.withMessage(Reason.INVALID_LABELS,
          "unknown series for exemplar (append a sample first)");
    }
    switch (head.exemplars.validate(s.labels, e)) {
      case ExemplarStore.DUPLICATE:
        return; // expected on re-sends; a no-op as in Prometheus
      case ExemplarStore.OUT_OF_ORDER:
        head.stats.exemplarsOutOfOrder.increment();
        throw SampleRejectedException.of(Reason.EXEMPLAR_OUT_OF_ORDER);
      case ExemplarStore.LABELS_TOO_LONG:
        throw SampleRejectedException.of(Reason.EXEMPLAR_LABELS_TOO_LONG);
      default:
        break;
    }
    if (nEx == exemplars.length) {
      int cap = Math.max(8, nEx * 2);
      exSeries = Arrays.copyOf(exSeries, cap);
      exemplars = Arrays.copyOf(exemplars, cap);
    }
    exSeries[nEx] = s;
    exemplars[nEx] = e;
    nEx++;
  }

  @Override
  public void updateMetadata(long ref, Labels labels, MetricMetadata m) {
    if (m == null) {
      return;
    }
    MemSeries s = null;
    String family = null;
    if (ref == 0 && labels != null && labels.size() == 1 && labels.has(Labels.METRIC_NAME)) {
      family = labels.get(Labels.METRIC_NAME); // remote write 1.0: per family
    } else {
      s = ref != 0 ? head.byRef(ref) : null;
      if (s == null && labels != null && !labels.isEmpty()) {
        s = head.stripes.get(labels.hash64(), labels);
      }
      if (s == null) {
        return; // unknown series: nothing to attach it to
      }
    }
    if (nMd == mdValues.length) {
      int cap = Math.max(8, nMd * 2);
      mdSeries = Arrays.copyOf(mdSeries, cap);
      mdFamily = Arrays.copyOf(mdFamily, cap);
      mdValues = Arrays.copyOf(mdValues, cap);
    }
    mdSeries[nMd] = s;
    mdFamily[nMd] = family;
    mdValues[nMd] = m;
    nMd++;
  }

  /**
   * Replaces series deleted by truncation since they were appended to (samples, exemplars and
   * metadata). Under the commit lock.
   */
  void resolveDeleted() {
    resolveDeleted(series, n);
    resolveDeleted(exSeries, nEx);
    resolveDeleted(mdSeries, nMd);
  }

  private void resolveDeleted(MemSeries[] arr, int len) {
    for (int i = 0; i < len; i++) {
      MemSeries s = arr[i];
      if (s != null && s.deleted) {
        try {
          MemSeries fresh = head.getOrCreate(s.labels);
          for (int j = i; j < len; j++) {
            if (arr[j] == s) {
              arr[j] = fresh;
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
      if (n > 0 || nEx > 0 || nMd > 0) {
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
    Arrays.fill(exSeries, 0, nEx, null);
    Arrays.fill(exemplars, 0, nEx, null);
    nEx = 0;
    Arrays.fill(mdSeries, 0, nMd, null);
    Arrays.fill(mdFamily, 0, nMd, null);
    Arrays.fill(mdValues, 0, nMd, null);
    nMd = 0;
    boundsSet = false;
    if (ts.length > 1 << 16) { // do not pin a huge batch's buffers forever
      series = new MemSeries[INITIAL];
      ts = new long[INITIAL];
      vs = new double[INITIAL];
    }
  }
}

package dev.tsdb.head;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.index.storage.SampleRejectedException;
import dev.tsdb.index.storage.SampleRejectedException.Reason;
import java.io.IOException;
import java.util.Arrays;

/**
 * Buffers one writer's samples in primitive arrays until commit. Samples are checked against the
 * series when appended (so rejections are reported per sample) and again at commit, where a
 * concurrent commit may have won. Native histograms are buffered apart, per kind, as copies
 * ({@link PendingHistograms}).
 *
 * <p>As in Prometheus (3.6 and later), the samples are cut into "type-clean" batches: within a
 * batch every series gets samples of one histogram kind at most (floats before them are fine),
 * and commit applies (and logs) batch after batch, each one's floats first, then integer, then
 * float histograms. So a series switching from histograms back to floats in one request keeps
 * its order instead of losing the samples that would then be out of order. Appenders that never
 * see a histogram have one batch and pay one null check per sample for this.
 * Reusable after commit or rollback; not thread-safe.
 */
final class HeadAppender implements Appender {
  private static final int INITIAL = 64;
  /** Prometheus's stale marker: a NaN with this bit pattern. */
  private static final long STALE_NAN_BITS = 0x7ff0000000000002L;

  private static final MemSeries[] NO_SERIES = new MemSeries[0];
  private static final long[] NO_LONGS = new long[0];
  private static final double[] NO_DOUBLES = new double[0];
  private static final Labels[] NO_LABELS = new Labels[0];

  private final Head head;
  // Batch arrays, borrowed from the head's pool at the first sample and given back (grown to the
  // batch size) at commit or rollback: remote write opens one appender per request, and regrowing
  // fresh arrays each time was a third of the ingest path's garbage.
  private Buffers borrowed;
  MemSeries[] series = NO_SERIES;
  long[] ts = NO_LONGS;
  double[] vs = NO_DOUBLES;
  int n;
  // Histogram samples; made at the first one (most appenders never see one).
  PendingHistograms.Integers histograms;
  PendingHistograms.Floats floatHistograms;
  // The histogram kind each series got in the current batch (made at the first histogram).
  private java.util.HashMap<MemSeries, Byte> kindsInBatch;
  // Where each closed batch ends in the float, integer and float histogram buffers.
  int closedBatches;
  int[] floatEnds = new int[0];
  int[] histogramEnds = new int[0];
  int[] floatHistogramEnds = new int[0];

  // The series behind the labels the last existingLabels() returned: the append that follows
  // with those labels then skips hashing them again.
  private Labels lastFound;
  private MemSeries lastFoundSeries;

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

  // Scratch for the WAL, borrowed with the batch arrays.
  long[] walRefs = NO_LONGS;
  long[] walSeries = NO_LONGS;
  Labels[] walSeriesLabels = NO_LABELS;

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
    checkTime(t, st, false);
    MemSeries s = seriesFor(ref, labels);
    long bits = Double.doubleToRawLongBits(v);
    if (bits == STALE_NAN_BITS) {
      // A stale marker for a series that holds histograms (rules and senders write float ones)
      // becomes a histogram stale marker of that kind, as in Prometheus, so the series' last
      // chunk is not cut just to end it.
      Histogram lastH;
      FloatHistogram lastFh;
      synchronized (s) {
        lastH = s.lastHistogram;
        lastFh = s.lastFloatHistogram;
      }
      // Histograms of this series pending in the batch are newer than what is committed.
      Byte pending = kindsInBatch == null ? null : kindsInBatch.get(s);
      if (pending != null) {
        lastH = (pending & 1) == 0 ? new Histogram() : null;
        lastFh = (pending & 1) == 1 ? new FloatHistogram() : null;
      }
      if (lastH != null) {
        Histogram stale = new Histogram();
        stale.sum = v;
        return appendHistogram(s.id, labels, t, stale, null);
      }
      if (lastFh != null) {
        FloatHistogram stale = new FloatHistogram();
        stale.sum = v;
        return appendHistogram(s.id, labels, t, null, stale);
      }
    }
    int r;
    synchronized (s) {
      r = s.appendable(t, bits, headMaxt, minValidTime, head.oooWindow);
      if (r >= 0) {
        s.pendingCommit = true;
      }
    }
    if (r < 0) {
      throw reject(r, st, false);
    }
    if (kindsInBatch != null && kindsInBatch.containsKey(s)) {
      closeBatch(); // a float after this series' histograms: they must be applied first
    }
    if (n == ts.length) {
      if (borrowed == null) {
        borrow();
      }
    }
    if (n == ts.length) {
      int cap = Math.max(INITIAL, n * 2);
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

  /**
   * The head-wide time rules: not too far in the future, not before the in-order window.
   * Refusals are counted by sample type.
   */
  private void checkTime(long t, HeadStats st, boolean histogram)
      throws SampleRejectedException {
    if (t > head.opts.clock.getAsLong() + head.opts.maxFutureMs) {
      st.tooFarInFutureRejected.increment();
      throw SampleRejectedException.of(Reason.TOO_FAR_IN_FUTURE);
    }
    if (head.oooWindow == 0 && t < minValidTime) {
      (histogram ? st.outOfBoundsHistogramsRejected : st.outOfBoundsRejected).increment();
      throw SampleRejectedException.of(Reason.OUT_OF_BOUNDS);
    }
  }

  /** The series by ref, or by labels (created when new). */
  private MemSeries seriesFor(long ref, Labels labels) throws SampleRejectedException {
    MemSeries s;
    if (ref != 0) {
      s = head.byRef(ref);
      // A caller remembering references across requests may hold one of a deleted series or
      // of another storage: the labels passed with it decide (identical when it is current).
      if (s != null && labels != null && s.labels != labels && !labels.isEmpty()
          && !s.labels.equals(labels)) {
        s = null;
      }
    } else {
      s = labels == lastFound ? lastFoundSeries : null;
    }
    if (s == null) {
      s = head.getOrCreate(labels);
    }
    return s;
  }

  /**
   * Buffers a histogram sample under the float rules of {@link #append} plus Prometheus's
   * histogram ones (see {@link MemSeries#appendableHistogram}); the batch keeps a copy.
   */
  @Override
  public long appendHistogram(long ref, Labels labels, long t, Histogram h, FloatHistogram fh)
      throws SampleRejectedException {
    if ((h == null) == (fh == null)) {
      throw new IllegalArgumentException("exactly one of h and fh must be given");
    }
    if (!boundsSet) {
      setBounds(t);
    }
    HeadStats st = head.stats;
    checkTime(t, st, true);
    MemSeries s = seriesFor(ref, labels);
    byte kind = (byte) ((h != null ? 0 : 1)
        + ((h != null ? h.usesCustomBuckets() : fh.usesCustomBuckets()) ? 2 : 0));
    if (kindsInBatch == null) {
      kindsInBatch = new java.util.HashMap<>();
    }
    Byte previous = kindsInBatch.get(s);
    if (previous != null && previous != kind) {
      closeBatch();
    }
    if (h != null) {
      if (histograms == null) {
        histograms = new PendingHistograms.Integers();
      }
      buffer(histograms, s, t, h, st, kind);
    } else {
      if (floatHistograms == null) {
        floatHistograms = new PendingHistograms.Floats();
      }
      buffer(floatHistograms, s, t, fh, st, kind);
    }
    return s.id;
  }

  private <H> void buffer(PendingHistograms<H> p, MemSeries s, long t, H h, HeadStats st,
      byte kind) throws SampleRejectedException {
    int r;
    synchronized (s) {
      r = p.appendable(s, t, h, headMaxt, minValidTime, head.oooWindow);
      if (r >= 0) {
        s.pendingCommit = true;
      }
    }
    if (r < 0) {
      throw reject(r, st, true);
    }
    p.add(s, t, p.copyOf(h));
    kindsInBatch.put(s, kind);
  }

  /** Ends the current batch: the samples buffered so far are applied before any that follow. */
  private void closeBatch() {
    if (closedBatches == floatEnds.length) {
      int cap = Math.max(4, closedBatches * 2);
      floatEnds = Arrays.copyOf(floatEnds, cap);
      histogramEnds = Arrays.copyOf(histogramEnds, cap);
      floatHistogramEnds = Arrays.copyOf(floatHistogramEnds, cap);
    }
    floatEnds[closedBatches] = n;
    histogramEnds[closedBatches] = histograms == null ? 0 : histograms.n;
    floatHistogramEnds[closedBatches] = floatHistograms == null ? 0 : floatHistograms.n;
    closedBatches++;
    kindsInBatch.clear();
  }

  /** Number of batches, the open one included. */
  int batches() {
    return closedBatches + 1;
  }

  /** Where batch {@code b} ends in the float buffer. */
  int floatEnd(int b) {
    return b < closedBatches ? floatEnds[b] : n;
  }

  /** Where batch {@code b} ends in the integer histogram buffer. */
  int histogramEnd(int b) {
    return b < closedBatches ? histogramEnds[b] : (histograms == null ? 0 : histograms.n);
  }

  /** Where batch {@code b} ends in the float histogram buffer. */
  int floatHistogramEnd(int b) {
    return b < closedBatches ? floatHistogramEnds[b]
        : (floatHistograms == null ? 0 : floatHistograms.n);
  }

  /** Histogram samples buffered (both kinds). */
  int numHistograms() {
    return (histograms == null ? 0 : histograms.n)
        + (floatHistograms == null ? 0 : floatHistograms.n);
  }

  /** The refusal for appendable() outcome r, counted by reason and sample type. */
  private static SampleRejectedException reject(int r, HeadStats st, boolean histogram) {
    switch (r) {
      case MemSeries.ERR_DUPLICATE -> {
        st.duplicateRejected.increment();
        return SampleRejectedException.of(Reason.DUPLICATE);
      }
      case MemSeries.ERR_OUT_OF_BOUNDS -> {
        (histogram ? st.outOfBoundsHistogramsRejected : st.outOfBoundsRejected).increment();
        return SampleRejectedException.of(Reason.OUT_OF_BOUNDS);
      }
      case MemSeries.ERR_TOO_OLD -> {
        (histogram ? st.tooOldHistogramsRejected : st.tooOldRejected).increment();
        return SampleRejectedException.of(Reason.TOO_OLD);
      }
      default -> {
        (histogram ? st.outOfOrderHistogramsRejected : st.outOfOrderRejected).increment();
        return SampleRejectedException.of(Reason.OUT_OF_ORDER);
      }
    }
  }

  @Override
  public Labels existingLabels(String[] nameValues, int len) {
    if (len == 0) {
      return null;
    }
    MemSeries s = head.stripes.get(Labels.hash64(nameValues, len), nameValues, len);
    if (s == null) {
      return null;
    }
    lastFound = s.labels;
    lastFoundSeries = s;
    return s.labels;
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
    if (histograms != null) {
      resolveDeleted(histograms.series, histograms.n);
    }
    if (floatHistograms != null) {
      resolveDeleted(floatHistograms.series, floatHistograms.n);
    }
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
      if (n > 0 || nEx > 0 || nMd > 0 || numHistograms() > 0) {
        head.commit(this);
      }
    } catch (IOException | RuntimeException e) {
      // Nothing was applied (the WAL write failed first): the series hold no pending samples,
      // so an idle one may be garbage-collected again.
      rollback();
      throw e;
    } finally {
      reset();
    }
  }

  @Override
  public void rollback() {
    clearPending(series, n);
    if (histograms != null) {
      clearPending(histograms.series, histograms.n);
    }
    if (floatHistograms != null) {
      clearPending(floatHistograms.series, floatHistograms.n);
    }
    reset();
  }

  private static void clearPending(MemSeries[] arr, int len) {
    for (int i = 0; i < len; i++) {
      MemSeries s = arr[i];
      synchronized (s) {
        s.pendingCommit = false;
      }
    }
  }

  private void reset() {
    Arrays.fill(series, 0, n, null);
    n = 0;
    if (histograms != null) {
      histograms.clear();
    }
    if (floatHistograms != null) {
      floatHistograms.clear();
    }
    if (kindsInBatch != null) {
      kindsInBatch.clear();
    }
    closedBatches = 0;
    Arrays.fill(exSeries, 0, nEx, null);
    Arrays.fill(exemplars, 0, nEx, null);
    nEx = 0;
    Arrays.fill(mdSeries, 0, nMd, null);
    Arrays.fill(mdFamily, 0, nMd, null);
    Arrays.fill(mdValues, 0, nMd, null);
    nMd = 0;
    boundsSet = false;
    lastFound = null;
    lastFoundSeries = null;
    giveBack();
  }

  private void borrow() {
    Buffers b = head.appendBuffers.take();
    if (b == null) {
      b = new Buffers();
    }
    borrowed = b;
    series = b.series;
    ts = b.ts;
    vs = b.vs;
    walRefs = b.walRefs;
    walSeries = b.walSeries;
    walSeriesLabels = b.walSeriesLabels;
  }

  private void giveBack() {
    Buffers b = borrowed;
    if (b == null) {
      return;
    }
    borrowed = null;
    // Do not pin a huge batch's arrays in the pool forever.
    if (ts.length <= MAX_POOLED && walRefs.length <= MAX_POOLED) {
      b.series = series;
      b.ts = ts;
      b.vs = vs;
      b.walRefs = walRefs;
      b.walSeries = walSeries;
      b.walSeriesLabels = walSeriesLabels;
      head.appendBuffers.offer(b);
    }
    series = NO_SERIES;
    ts = NO_LONGS;
    vs = NO_DOUBLES;
    walRefs = NO_LONGS;
    walSeries = NO_LONGS;
    walSeriesLabels = NO_LABELS;
  }

  private static final int MAX_POOLED = 1 << 16;

  /** One batch's arrays; null-free between uses (series entries are cleared at reset). */
  static final class Buffers {
    MemSeries[] series = new MemSeries[INITIAL];
    long[] ts = new long[INITIAL];
    double[] vs = new double[INITIAL];
    long[] walRefs = NO_LONGS;
    long[] walSeries = NO_LONGS;
    Labels[] walSeriesLabels = NO_LABELS;
  }

  /**
   * A small lock-free pool of {@link Buffers}: as many slots as writers are expected to commit
   * concurrently; more writers than that simply allocate.
   */
  static final class BufferPool {
    private final java.util.concurrent.atomic.AtomicReferenceArray<Buffers> slots;

    BufferPool(int size) {
      slots = new java.util.concurrent.atomic.AtomicReferenceArray<>(size);
    }

    Buffers take() {
      for (int i = 0; i < slots.length(); i++) {
        if (slots.getPlain(i) != null) {
          Buffers b = slots.getAndSet(i, null);
          if (b != null) {
            return b;
          }
        }
      }
      return null;
    }

    void offer(Buffers b) {
      for (int i = 0; i < slots.length(); i++) {
        if (slots.getPlain(i) == null && slots.compareAndSet(i, null, b)) {
          return;
        }
      }
    }
  }
}

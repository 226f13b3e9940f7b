package dev.tsdb.head;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.wal.Wal;
import dev.tsdb.index.format.EncodeBuffer;
import dev.tsdb.wal.record.RecordEncoder;
import dev.tsdb.wal.record.ExemplarBatch;
import dev.tsdb.wal.record.FloatHistogramBatch;
import dev.tsdb.wal.record.HistogramBatch;
import dev.tsdb.wal.record.MetadataBatch;
import dev.tsdb.wal.record.SeriesBatch;
import dev.tsdb.wal.record.TombstoneBatch;
import dev.tsdb.index.storage.MetricMetadata;
import java.io.IOException;

/**
 * The head's commit hook backed by a Prometheus-format {@link Wal}: a Series record for new
 * series, then a Samples record, then histogram records as Prometheus writes them (integer
 * histograms, then float histograms, each split into exponential and custom-bucket records),
 * then Exemplars and Metadata records when present; one write to the OS per commit (and an
 * fsync when configured). Calls come from the head's commit lock, one commit at a time.
 */
public final class WalLog implements HeadWal {
  private final Wal wal;
  private final boolean syncPerCommit;
  private EncodeBuffer buf = new EncodeBuffer(1 << 16);
  private final SeriesBatch series = new SeriesBatch(64);
  private final TombstoneBatch tombstones = new TombstoneBatch();
  private final ExemplarBatch exemplars = new ExemplarBatch();
  private final MetadataBatch metadata = new MetadataBatch();
  private final HistogramBatch histograms = new HistogramBatch();
  private final FloatHistogramBatch floatHistograms = new FloatHistogramBatch();

  public WalLog(Wal wal, boolean syncPerCommit) {
    this.wal = wal;
    this.syncPerCommit = syncPerCommit;
  }

  public Wal wal() {
    return wal;
  }

  @Override
  public void logSeries(long[] refs, Labels[] labels, int n) throws IOException {
    series.clear();
    for (int i = 0; i < n; i++) {
      series.add(refs[i], labels[i]);
    }
    RecordEncoder.series(series, buf);
    series.clear();
    wal.append(buf);
  }

  @Override
  public void logSamples(long[] refs, long[] ts, double[] vs, int n) throws IOException {
    RecordEncoder.samples(refs, ts, vs, 0, n, buf);
    wal.append(buf);
  }

  @Override
  public void logHistograms(long[] refs, long[] ts, Histogram[] hs, int n) throws IOException {
    histograms.clear();
    for (int i = 0; i < n; i++) {
      histograms.add(refs[i], ts[i], hs[i]);
    }
    try {
      RecordEncoder.histogramRecords(histograms, buf, wal::append);
    } finally {
      histograms.clear();
    }
  }

  @Override
  public void logFloatHistograms(long[] refs, long[] ts, FloatHistogram[] hs, int n)
      throws IOException {
    floatHistograms.clear();
    for (int i = 0; i < n; i++) {
      floatHistograms.add(refs[i], ts[i], hs[i]);
    }
    try {
      RecordEncoder.floatHistogramRecords(floatHistograms, buf, wal::append);
    } finally {
      floatHistograms.clear();
    }
  }

  @Override
  public void logTombstones(long[] refs, long[] mints, long[] maxts, int n) throws IOException {
    tombstones.clear();
    for (int i = 0; i < n; i++) {
      tombstones.add(refs[i], mints[i], maxts[i]);
    }
    RecordEncoder.tombstones(tombstones, buf);
    wal.append(buf);
  }

  @Override
  public void logExemplars(long[] refs, long[] ts, double[] vs, Labels[] labels, int n)
      throws IOException {
    exemplars.clear();
    for (int i = 0; i < n; i++) {
      exemplars.add(refs[i], ts[i], vs[i], labels[i]);
    }
    RecordEncoder.exemplars(exemplars, buf);
    exemplars.clear();
    wal.append(buf);
  }

  @Override
  public void logMetadata(long[] refs, MetricMetadata[] metadata, int n) throws IOException {
    this.metadata.clear();
    for (int i = 0; i < n; i++) {
      MetricMetadata m = metadata[i];
      this.metadata.add(refs[i], MetadataBatch.typeOf(m.type() == null ? "" : m.type()), m.unit(),
          m.help());
    }
    RecordEncoder.metadata(this.metadata, buf);
    this.metadata.clear();
    wal.append(buf);
  }

  @Override
  public void flush() throws IOException {
    if (syncPerCommit) {
      wal.sync();
    } else {
      wal.flush();
    }
    if (buf.array().length > 1 << 22) {
      buf = new EncodeBuffer(1 << 16); // a huge commit must not pin its buffer forever
    }
  }

  @Override
  public void sync() throws IOException {
    wal.sync();
  }

  @Override
  public void close() throws IOException {
    wal.close();
  }
}

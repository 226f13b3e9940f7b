package dev.tsdb.server.forward;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.wal.RecordDispatcher;
import dev.tsdb.wal.record.ExemplarBatch;
import dev.tsdb.wal.record.FloatHistogramBatch;
import dev.tsdb.wal.record.HistogramBatch;
import dev.tsdb.wal.record.HistogramSampleBatch;
import dev.tsdb.wal.record.MetadataBatch;
import dev.tsdb.wal.record.RecordType;
import dev.tsdb.wal.record.SampleBatch;
import dev.tsdb.wal.record.SeriesBatch;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Turns WAL records into {@link ForwardItem}s for one queue: series and metadata records fill
 * the {@link SeriesCache}; samples, native histograms (when send_native_histograms) and
 * exemplars (when send_exemplars) of series the queue keeps are numbered and handed to the
 * queue; samples of series dropped by relabelling, or never seen, are counted as dropped.
 */
final class QueueFeeder implements WalWatcher.Target {
  /** Where items go. */
  interface Queue {
    /** Hands an item over; may block while the queue is full. */
    void enqueue(ForwardItem it) throws InterruptedException;

    /** Records handed over up to {@code pos} (their items have been enqueued). */
    void reached(WalPosition pos, long nextSeq);
  }

  private final SeriesCache cache;
  private final Queue queue;
  private final ForwardMetrics metrics;
  private final ForwardMetrics.Queue qm;
  private final ShardCalculator calc;
  private final boolean sendExemplars;
  private final boolean sendHistograms;
  /** Whether this queue counts the *_in_total metrics (one queue does, as data comes in once). */
  private final boolean countsInput;
  private final RecordDispatcher history;
  private final RecordDispatcher live;
  final ForwardMetrics.MaxCell highestRead = new ForwardMetrics.MaxCell();
  private long nextSeq;

  QueueFeeder(SeriesCache cache, Queue queue, ForwardMetrics metrics, ForwardMetrics.Queue qm,
      ShardCalculator calc, boolean sendExemplars, boolean sendHistograms, boolean countsInput) {
    this.cache = cache;
    this.queue = queue;
    this.metrics = metrics;
    this.qm = qm;
    this.calc = calc;
    this.sendExemplars = sendExemplars;
    this.sendHistograms = sendHistograms;
    this.countsInput = countsInput;
    this.history = new RecordDispatcher(new CacheSink());
    this.live = new RecordDispatcher(new LiveSink());
  }

  @Override
  public void history(byte[] rec, int len) throws IOException {
    byte type = RecordType.of(rec, len);
    if (type == RecordType.SERIES || type == RecordType.METADATA) {
      history.accept(rec, len);
    }
  }

  @Override
  public void live(byte[] rec, int len) throws IOException, InterruptedException {
    try {
      live.accept(rec, len);
    } catch (InterruptedIOException e) {
      throw new InterruptedException();
    }
  }

  @Override
  public void reading(int segment) {
    cache.reading(segment);
  }

  @Override
  public void seriesReset(int checkpoint) {
    cache.reset(checkpoint);
  }

  @Override
  public void reached(WalPosition pos) {
    queue.reached(pos, nextSeq);
  }

  /** Series and metadata: what history needs too. */
  private class CacheSink implements RecordDispatcher.Sink {
    @Override
    public void series(SeriesBatch b) {
      for (int i = 0; i < b.size; i++) {
        cache.series(b.refs[i], b.labels[i]);
      }
    }

    @Override
    public void metadata(MetadataBatch b) {
      for (int i = 0; i < b.size; i++) {
        cache.metadata(b.refs[i], b.types[i], b.units[i], b.helps[i]);
      }
    }
  }

  private final class LiveSink extends CacheSink {
    @Override
    public boolean ingestsHistograms() {
      return sendHistograms;
    }

    @Override
    public void samples(SampleBatch b) throws IOException {
      if (countsInput) {
        metrics.samplesIn.increment(b.size);
      }
      for (int i = 0; i < b.size; i++) {
        read(b.ts[i]);
        Labels l = labels(b.refs[i], ForwardItem.Kind.SAMPLE);
        if (l != null) {
          put(ForwardItem.sample(nextSeq++, b.refs[i], l, b.ts[i], b.vs[i]));
        }
      }
    }

    @Override
    public void histograms(HistogramBatch b) throws IOException {
      histogramSamples(b, (i, seq, l) -> ForwardItem.histogram(seq, b.refs[i], l, b.ts[i],
          b.histograms[i].copy()));
    }

    @Override
    public void floatHistograms(FloatHistogramBatch b) throws IOException {
      histogramSamples(b, (i, seq, l) -> ForwardItem.floatHistogram(seq, b.refs[i], l, b.ts[i],
          b.histograms[i].copy()));
    }

    /** Builds the item for entry i of a batch (the batch's histograms are reused: copied). */
    private interface ItemAt {
      ForwardItem at(int i, long seq, Labels labels);
    }

    private void histogramSamples(HistogramSampleBatch<?> b, ItemAt item) throws IOException {
      if (countsInput) {
        metrics.histogramsIn.increment(b.size);
      }
      for (int i = 0; i < b.size; i++) {
        read(b.ts[i]);
        Labels l = labels(b.refs[i], ForwardItem.Kind.HISTOGRAM);
        if (l != null) {
          put(item.at(i, nextSeq++, l));
        }
      }
    }

    @Override
    public void exemplars(ExemplarBatch b) throws IOException {
      if (countsInput) {
        metrics.exemplarsIn.increment(b.size);
      }
      if (!sendExemplars) {
        return;
      }
      for (int i = 0; i < b.size; i++) {
        Labels l = labels(b.refs[i], ForwardItem.Kind.EXEMPLAR);
        if (l != null) {
          put(ForwardItem.exemplar(nextSeq++, b.refs[i], l, b.ts[i], b.vs[i], b.labels[i]));
        }
      }
    }

    private void read(long t) {
      highestRead.update(t);
      metrics.highestTimestampIn.update(t);
    }

    /** The labels to send under, or null after counting the item as dropped. */
    private Labels labels(long ref, ForwardItem.Kind kind) {
      Labels l = cache.labels(ref);
      if (l == null) {
        qm.dropped(kind, cache.known(ref) ? "dropped_series" : "unintentionally_dropped_series")
            .increment();
      }
      return l;
    }

    private void put(ForwardItem it) throws IOException {
      calc.in(1);
      try {
        queue.enqueue(it);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("stopped");
      }
    }
  }
}

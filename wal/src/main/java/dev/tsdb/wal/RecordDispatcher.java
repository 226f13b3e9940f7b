package dev.tsdb.wal;

import dev.tsdb.wal.record.ExemplarBatch;
import dev.tsdb.wal.record.FloatHistogramBatch;
import dev.tsdb.wal.record.HistogramBatch;
import dev.tsdb.wal.record.HistogramRecordFilter;
import dev.tsdb.wal.record.MetadataBatch;
import dev.tsdb.wal.record.RecordDecoder;
import dev.tsdb.wal.record.RecordType;
import dev.tsdb.wal.record.SampleBatch;
import dev.tsdb.wal.record.SeriesBatch;
import dev.tsdb.wal.record.StringInterner;
import dev.tsdb.wal.record.TombstoneBatch;
import java.io.IOException;

/**
 * A {@link WalReplay.RecordHandler} that decodes each record into a reusable batch and hands it
 * to a {@link Sink}. Record types the sink does not ingest (native histograms unless it opts in
 * with {@link Sink#ingestsHistograms()}, V2 histograms, mmap markers, min-valid-time, unknown
 * future types) are skipped and counted, so replay of a Prometheus WAL never fails on them. Not
 * thread-safe; batches (and the histograms in them) are only valid during the sink call.
 */
public final class RecordDispatcher implements WalReplay.RecordHandler {
  /** Receives decoded records; override what you need. Batches are reused after the call. */
  public interface Sink {
    default void series(SeriesBatch batch) throws IOException {}

    default void samples(SampleBatch batch) throws IOException {}

    default void tombstones(TombstoneBatch batch) throws IOException {}

    default void exemplars(ExemplarBatch batch) throws IOException {}

    default void metadata(MetadataBatch batch) throws IOException {}

    /**
     * Whether V1 histogram records (types 7-10) are decoded and handed to {@link #histograms} /
     * {@link #floatHistograms}; when false they are only counted (cheaply, without decoding).
     */
    default boolean ingestsHistograms() {
      return false;
    }

    /** Integer histograms of a type 7 or 9 record (exponential or custom buckets). */
    default void histograms(HistogramBatch batch) throws IOException {}

    /** Float histograms of a type 8 or 10 record. */
    default void floatHistograms(FloatHistogramBatch batch) throws IOException {}
  }

  private final RecordDecoder decoder;
  private final Sink sink;
  private final SeriesBatch series = new SeriesBatch(256);
  private final SampleBatch samples = new SampleBatch(1024);
  private final TombstoneBatch tombstones = new TombstoneBatch();
  private final ExemplarBatch exemplars = new ExemplarBatch();
  private final MetadataBatch metadata = new MetadataBatch();
  private final boolean ingestsHistograms;
  private HistogramRecordFilter histogramCounter;
  private HistogramBatch histograms;
  private FloatHistogramBatch floatHistograms;

  private long skippedHistogramRecords;
  private long skippedHistogramSamples;
  private long skippedOtherRecords;

  public RecordDispatcher(StringInterner interner, Sink sink) {
    this.decoder = new RecordDecoder(interner);
    this.sink = sink;
    this.ingestsHistograms = sink.ingestsHistograms();
  }

  public RecordDispatcher(Sink sink) {
    this(StringInterner.NONE, sink);
  }

  @Override
  public void accept(byte[] rec, int len) throws IOException {
    byte type = RecordType.of(rec, len);
    switch (type) {
      case RecordType.SERIES:
        decoder.series(rec, len, series);
        sink.series(series);
        series.clear(); // drop label references early
        break;
      case RecordType.SAMPLES:
      case RecordType.SAMPLES_V2:
        decoder.samples(rec, len, samples);
        sink.samples(samples);
        break;
      case RecordType.TOMBSTONES:
        decoder.tombstones(rec, len, tombstones);
        sink.tombstones(tombstones);
        break;
      case RecordType.EXEMPLARS:
        decoder.exemplars(rec, len, exemplars);
        sink.exemplars(exemplars);
        break;
      case RecordType.METADATA:
        decoder.metadata(rec, len, metadata);
        sink.metadata(metadata);
        break;
      case RecordType.HISTOGRAM_SAMPLES:
      case RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES:
        if (ingestsHistograms) {
          if (histograms == null) {
            histograms = new HistogramBatch(256);
          }
          decoder.histograms(rec, len, histograms);
          sink.histograms(histograms);
        } else {
          skipHistograms(rec, len);
        }
        break;
      case RecordType.FLOAT_HISTOGRAM_SAMPLES:
      case RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES:
        if (ingestsHistograms) {
          if (floatHistograms == null) {
            floatHistograms = new FloatHistogramBatch(256);
          }
          decoder.floatHistograms(rec, len, floatHistograms);
          sink.floatHistograms(floatHistograms);
        } else {
          skipHistograms(rec, len);
        }
        break;
      case RecordType.HISTOGRAM_SAMPLES_V2:
      case RecordType.FLOAT_HISTOGRAM_SAMPLES_V2:
        skippedHistogramRecords++;
        break;
      default:
        skippedOtherRecords++;
    }
  }

  private void skipHistograms(byte[] rec, int len) {
    if (histogramCounter == null) {
      histogramCounter = new HistogramRecordFilter();
    }
    skippedHistogramSamples += histogramCounter.count(rec, len);
    skippedHistogramRecords++;
  }

  /** Native-histogram records skipped (all V2 ones; V1 ones unless the sink ingests them). */
  public long skippedHistogramRecords() {
    return skippedHistogramRecords;
  }

  /** Histogram samples in the skipped V1 histogram records. */
  public long skippedHistogramSamples() {
    return skippedHistogramSamples;
  }

  /** Records of other types skipped: mmap markers, min-valid-time, unknown. */
  public long skippedOtherRecords() {
    return skippedOtherRecords;
  }
}

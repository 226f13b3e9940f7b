package dev.tsdb.server.forward;

import dev.tsdb.rules.metrics.GaugeCell;
import dev.tsdb.rules.metrics.Meters;
import dev.tsdb.wal.record.RecordType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The forwarder's metrics under Prometheus's names (storage/remote): totals read from the WAL
 * ({@code prometheus_remote_storage_samples_in_total}, ...) and the newest timestamp seen, and
 * per queue, labelled {@code remote_name} and {@code url}: sent, failed, retried, dropped (by
 * reason), pending, shards, highest sent timestamp and bytes. A queue's instruments outlive a
 * reload that keeps its name and URL (the counters go on), and are removed with the queue.
 */
final class ForwardMetrics {
  static final String NS = "prometheus_remote_storage_";

  private final MeterRegistry registry;
  final Counter samplesIn;
  final Counter histogramsIn;
  final Counter exemplarsIn;
  final MaxCell highestTimestampIn = new MaxCell();
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();

  ForwardMetrics(MeterRegistry registry) {
    this.registry = registry;
    samplesIn = Meters.counter(registry, NS + "samples_in_total",
        "Samples in to remote storage, compare to samples out for queue managers.", Tags.empty());
    histogramsIn = Meters.counter(registry, NS + "histograms_in_total",
        "HistogramSamples in to remote storage, compare to histograms out for queue managers.",
        Tags.empty());
    exemplarsIn = Meters.counter(registry, NS + "exemplars_in_total",
        "Exemplars in to remote storage, compare to exemplars out for queue managers.",
        Tags.empty());
    Meters.gauge(registry, NS + "highest_timestamp_in_seconds",
        "Highest timestamp that has come into the remote storage via the Appender interface, in"
            + " seconds since epoch. Initialized to 0 when no data has been received yet.",
        Tags.empty(), () -> highestTimestampIn.get() / 1000.0);
  }

  /** A gauge cell that only grows (milliseconds). */
  static final class MaxCell {
    private final java.util.concurrent.atomic.AtomicLong v = new java.util.concurrent.atomic.AtomicLong();

    void update(long t) {
      v.accumulateAndGet(t, Math::max);
    }

    long get() {
      return v.get();
    }
  }

  Queue queue(String name, String url) {
    return queues.computeIfAbsent(name + "\u0000" + url, k -> new Queue(name, url));
  }

  void remove(String name, String url) {
    Queue q = queues.remove(name + "\u0000" + url);
    if (q != null) {
      q.meters.forEach(registry::remove);
    }
  }

  /** Prometheus's buckets for sent_batch_duration_seconds: the default ones, then to 5m. */
  private static final Duration[] SENT_BATCH_BUCKETS = java.util.stream.DoubleStream.of(
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60, 120, 300)
      .mapToObj(sec -> Duration.ofNanos((long) (sec * 1e9))).toArray(Duration[]::new);

  /**
   * The queue's WAL watcher ({@code prometheus_wal_watcher_*}, labelled {@code consumer}): the
   * segment it reads, records read by type, records it could not read.
   */
  final class Watcher {
    private final Tags tags;
    final GaugeCell currentSegment = new GaugeCell();
    final Counter decodeFailures;
    private final Map<Byte, Counter> read = new ConcurrentHashMap<>();
    private final List<Meter> meters;

    /** Its meters go to {@code meters}, its queue's, to be removed with them. */
    private Watcher(String consumer, List<Meter> meters) {
      this.tags = Tags.of("consumer", consumer);
      this.meters = meters;
      meters.add(Meters.gauge(registry, "prometheus_wal_watcher_current_segment",
          "Current segment the WAL watcher is reading records from.", tags, currentSegment));
      decodeFailures = Meters.counter(registry,
          "prometheus_wal_watcher_record_decode_failures_total",
          "Number of records read by the WAL watcher that resulted in an error when decoding.",
          tags);
      meters.add(decodeFailures);
    }

    /** Counts a record of WAL record type {@code type}. */
    void read(byte type) {
      read.computeIfAbsent(type, t -> {
        Counter c = Meters.counter(registry, "prometheus_wal_watcher_records_read_total",
            "Number of records read by the WAL watcher from the WAL.",
            tags.and("type", RecordType.name(t)));
        meters.add(c);
        return c;
      }).increment();
    }
  }

  /** One counter per kind of data (samples, histograms, exemplars). */
  record PerKind(Counter samples, Counter histograms, Counter exemplars) {
    Counter of(ForwardItem.Kind k) {
      return switch (k) {
        case SAMPLE -> samples;
        case HISTOGRAM -> histograms;
        case EXEMPLAR -> exemplars;
      };
    }
  }

  /** One queue's instruments. */
  final class Queue {
    final List<Meter> meters = java.util.Collections.synchronizedList(new ArrayList<>());
    final Tags tags;
    final PerKind sent;
    final PerKind failed;
    final PerKind retried;
    final Counter metadataSent;
    final Counter metadataFailed;
    final Counter metadataRetried;
    final Counter bytes;
    final Counter metadataBytes;
    final Counter enqueueRetries;
    final Timer sentBatchDuration;
    final Watcher watcher;
    /** Ours: segments deleted before the queue read them (the retained-WAL cap). */
    final Counter walSegmentsSkipped;
    final GaugeCell samplesPending = new GaugeCell();
    final GaugeCell histogramsPending = new GaugeCell();
    final GaugeCell exemplarsPending = new GaugeCell();
    final GaugeCell shards = new GaugeCell();
    final GaugeCell shardsMin = new GaugeCell();
    final GaugeCell shardsMax = new GaugeCell();
    final GaugeCell shardsDesired = new GaugeCell();
    final GaugeCell shardCapacity = new GaugeCell();
    final GaugeCell maxSamplesPerSend = new GaugeCell();
    final MaxCell highestSent = new MaxCell();
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();

    Queue(String name, String url) {
      tags = Tags.of("remote_name", name, "url", url);
      sent = perKind("", "_total", "Total number of %s sent to remote storage.");
      failed = perKind("", "_failed_total",
          "Total number of %s which failed on send to remote storage, non-recoverable errors.");
      retried = perKind("", "_retried_total",
          "Total number of %s which failed on send to remote storage but were retried because"
              + " the send error was recoverable.");
      metadataSent = counter("metadata_total", "Total number of metadata entries sent to remote"
          + " storage.");
      metadataFailed = counter("metadata_failed_total", "Total number of metadata entries which"
          + " failed on send to remote storage, non-recoverable errors.");
      metadataRetried = counter("metadata_retried_total", "Total number of metadata entries"
          + " which failed on send to remote storage but were retried because the send error was"
          + " recoverable.");
      bytes = counter("bytes_total", "The total number of bytes of data (not metadata) sent by"
          + " the queue after compression. Note that when exemplars over remote write is enabled"
          + " the exemplars included in a remote write request count towards this metric.");
      enqueueRetries = counter("enqueue_retries_total", "Total number of times enqueue has"
          + " failed because a shards queue was full.");
      sentBatchDuration = Timer.builder(NS + "sent_batch_duration")
          .description("Duration of send calls to the remote storage.").tags(tags)
          .serviceLevelObjectives(SENT_BATCH_BUCKETS).register(registry);
      meters.add(sentBatchDuration);
      watcher = new Watcher(name, meters);
      metadataBytes = counter("metadata_bytes_total", "The total number of bytes of metadata"
          + " sent by the queue after compression.");
      walSegmentsSkipped = Meters.counter(registry,
          "tsdb_remote_storage_wal_segments_skipped_total", "WAL segments deleted before this queue read them, because the queue was behind by more"
              + " than --storage.remote.max-retained-wal-bytes; what they held was not sent"
              + " (ours, not a Prometheus metric).", tags);
      meters.add(walSegmentsSkipped);
      gauge("samples_pending", "The number of samples pending in the queues shards to be sent"
          + " to the remote storage.", samplesPending);
      gauge("histograms_pending", "The number of histograms pending in the queues shards to be"
          + " sent to the remote storage.", histogramsPending);
      gauge("exemplars_pending", "The number of exemplars pending in the queues shards to be"
          + " sent to the remote storage.", exemplarsPending);
      gauge("shards", "The number of shards used for parallel sending to the remote storage.",
          shards);
      gauge("shards_min", "The minimum number of shards that the queue is allowed to run.",
          shardsMin);
      gauge("shards_max", "The maximum number of shards that the queue is allowed to run.",
          shardsMax);
      gauge("shards_desired", "The number of shards that the queues shard calculation wants to"
          + " run based on the rate of samples in vs. samples out.", shardsDesired);
      gauge("shard_capacity", "The capacity of each shard of the queue used for parallel"
          + " sending to the remote storage.", shardCapacity);
      gauge("max_samples_per_send", "The maximum number of samples to be sent, in a single"
          + " request, to the remote storage.", maxSamplesPerSend);
      meters.add(Meters.gauge(registry, NS + "queue_highest_sent_timestamp_seconds",
          "Timestamp from a WAL sample, the highest timestamp successfully sent by this queue,"
              + " in seconds since epoch. Initialized to 0 when no data has been sent yet.",
          tags, () -> highestSent.get() / 1000.0));
    }

    private PerKind perKind(String prefix, String suffix, String help) {
      return new PerKind(counter("samples" + suffix, String.format(help, "samples")),
          counter("histograms" + suffix, String.format(help, "histograms")),
          counter("exemplars" + suffix, String.format(help, "exemplars")));
    }

    private Counter counter(String name, String help) {
      Counter c = Meters.counter(registry, NS + name, help, tags);
      meters.add(c);
      return c;
    }

    private void gauge(String name, String help, GaugeCell cell) {
      meters.add(Meters.gauge(registry, NS + name, help, tags, cell));
    }

    /** {@code prometheus_remote_storage_<kind>_dropped_total{reason}}. */
    Counter dropped(ForwardItem.Kind kind, String reason) {
      String name = switch (kind) {
        case SAMPLE -> "samples";
        case HISTOGRAM -> "histograms";
        case EXEMPLAR -> "exemplars";
      };
      return dropped.computeIfAbsent(name + "/" + reason, k -> {
        Counter c = Meters.counter(registry, NS + name + "_dropped_total", "Total number of "
            + name + " which were dropped after being read from the WAL before being sent via"
            + " remote write, either via relabelling, due to being too old or unintentionally"
            + " because of an unknown reference ID.", tags.and("reason", reason));
        meters.add(c);
        return c;
      });
    }
  }
}

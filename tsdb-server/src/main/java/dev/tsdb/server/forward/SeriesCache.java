package dev.tsdb.server.forward;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import dev.tsdb.rules.relabel.RelabelConfig;
import dev.tsdb.rules.relabel.Relabeler;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the WAL's series and metadata records say about each series ref, and the labels a queue
 * sends it under: external labels added where the series lacks them, then write relabelling
 * (null: the series is dropped). Written by the queue's WAL watcher thread only; metadata is
 * also read by the shards (per series, for 2.0 messages: a commit logs it after the samples) and
 * the metadata sender (by family).
 *
 * <p>Series churn would make it grow forever: each ref remembers the segment (or checkpoint)
 * its series record was last read from, and {@link #reset} forgets the refs a newer checkpoint
 * no longer has, as Prometheus's queue manager does on SeriesReset.
 */
final class SeriesCache {
  /** A series' metadata as the WAL logs it (type: the WAL's and prompb's enum number). */
  record Meta(int type, String unit, String help) {}

  /** Marks a ref whose series relabelling dropped. */
  private static final Labels DROPPED = Labels.EMPTY;

  private final Labels externalLabels;
  private final List<RelabelConfig> relabel;
  private final Map<Long, Labels> raw = new HashMap<>();
  private final Map<Long, Labels> sent = new HashMap<>();
  /** The segment (checkpoint index) each ref's series record was last read from. */
  private final Map<Long, Integer> segmentOf = new HashMap<>();
  /** Where the records being read come from. */
  private int segment;
  /** Read when batches are encoded (2.0), by the shards. */
  private final Map<Long, Meta> meta = new ConcurrentHashMap<>();
  /** Latest metadata by metric name, for 1.0 metadata requests. */
  private final Map<String, Meta> families = new ConcurrentHashMap<>();

  SeriesCache(Labels externalLabels, List<RelabelConfig> relabel) {
    this.externalLabels = externalLabels;
    this.relabel = relabel;
  }

  /** The records that follow come from segment (or checkpoint) {@code index}. */
  void reading(int index) {
    segment = index;
  }

  void series(long ref, Labels labels) {
    raw.put(ref, labels);
    sent.remove(ref);
    segmentOf.put(ref, segment);
  }

  /**
   * Forgets the series last read before segment {@code index}: after checkpoint
   * {@code index} was read, they are the ones the head has dropped. Returns how many.
   */
  int reset(int index) {
    int n = 0;
    for (var it = segmentOf.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (e.getValue() < index) {
        it.remove();
        raw.remove(e.getKey());
        sent.remove(e.getKey());
        meta.remove(e.getKey());
        n++;
      }
    }
    return n;
  }

  void metadata(long ref, int type, String unit, String help) {
    Meta m = new Meta(type, unit == null ? "" : unit, help == null ? "" : help);
    meta.put(ref, m);
    Labels l = raw.get(ref);
    if (l != null && !l.get("__name__").isEmpty()) {
      families.put(l.get("__name__"), m);
    }
  }

  boolean known(long ref) {
    return raw.containsKey(ref);
  }

  /** The labels to send for {@code ref}; null when unknown or dropped by relabelling. */
  Labels labels(long ref) {
    Labels l = sent.get(ref);
    if (l == null) {
      Labels r = raw.get(ref);
      if (r == null) {
        return null;
      }
      Labels p = Relabeler.process(withExternal(r), relabel);
      l = p == null || p.isEmpty() ? DROPPED : p;
      sent.put(ref, l);
    }
    return l == DROPPED ? null : l;
  }

  Meta meta(long ref) {
    return meta.get(ref);
  }

  /** Metric name to its latest metadata (a live view). */
  Map<String, Meta> families() {
    return families;
  }

  Collection<Long> refs() {
    return raw.keySet();
  }

  /** Series labels win over external labels of the same name, as in Prometheus. */
  private Labels withExternal(Labels l) {
    if (externalLabels.isEmpty()) {
      return l;
    }
    LabelsBuilder b = l.toBuilder();
    for (int i = 0; i < externalLabels.size(); i++) {
      if (l.get(externalLabels.name(i)).isEmpty()) {
        b.set(externalLabels.name(i), externalLabels.value(i));
      }
    }
    return b.build();
  }
}

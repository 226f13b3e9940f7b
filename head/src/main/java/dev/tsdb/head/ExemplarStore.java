package dev.tsdb.head;

import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.ExemplarSeries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The head's exemplars: one circular buffer of at most {@code max} exemplars shared by all
 * series (Prometheus's CircularExemplarStorage, {@code storage.exemplars.max_exemplars}); when
 * full, the oldest exemplar of any series is overwritten. Each series' exemplars form a list
 * through the buffer, oldest to newest, keyed by series labels (so they outlive a head series
 * that truncation removes and re-creates). Slots are primitive arrays grown up to {@code max}.
 *
 * <p>Validation follows Prometheus 3: at most 128 UTF-8 characters of label names and values; an
 * exemplar equal to the series' newest is a duplicate (ignored); one older than it, or at the
 * same time with a smaller value (or equal value and smaller label hash) is out of order.
 */
final class ExemplarStore {
  static final int MAX_LABELS_RUNES = 128;
  static final int OK = 0;
  static final int DUPLICATE = 1;
  static final int OUT_OF_ORDER = -1;
  static final int LABELS_TOO_LONG = -2;
  private static final int NONE = -1;

  /** A series' list in the buffer. */
  private static final class Entry {
    final Labels series;
    int oldest;
    int newest;

    Entry(Labels series) {
      this.series = series;
    }
  }

  private int max;
  private long[] ts = new long[0];
  private double[] vs = new double[0];
  private Labels[] labels = new Labels[0];
  private int[] next = new int[0];
  private Entry[] owner = new Entry[0];
  private int used; // slots ever filled (< max until the buffer wraps)
  private int nextIndex; // slot written next once used == max
  private final Map<Labels, Entry> index = new HashMap<>();
  private long appended;

  ExemplarStore(int max) {
    this.max = Math.max(0, max);
  }

  synchronized int maxExemplars() {
    return max;
  }

  /** Exemplars held. */
  synchronized int size() {
    int n = 0;
    for (int i = 0; i < used; i++) {
      if (owner[i] != null) {
        n++;
      }
    }
    return n;
  }

  synchronized int seriesWithExemplars() {
    return index.size();
  }

  /** Exemplars added since start (prometheus_tsdb_exemplar_exemplars_appended_total). */
  synchronized long appended() {
    return appended;
  }

  /** One of OK, DUPLICATE, OUT_OF_ORDER, LABELS_TOO_LONG for adding e to series. */
  synchronized int validate(Labels series, Exemplar e) {
    if (labelRunes(e.labels()) > MAX_LABELS_RUNES) {
      return LABELS_TOO_LONG;
    }
    Entry en = index.get(series);
    if (en == null) {
      return OK;
    }
    int i = en.newest;
    long nt = ts[i];
    double nv = vs[i];
    if (nt == e.timestampMs() && Double.doubleToRawLongBits(nv)
        == Double.doubleToRawLongBits(e.value()) && labels[i].equals(e.labels())) {
      return DUPLICATE;
    }
    if (e.timestampMs() < nt
        || (e.timestampMs() == nt && e.value() < nv)
        || (e.timestampMs() == nt && e.value() == nv
            && Long.compareUnsigned(e.labels().hash64(), labels[i].hash64()) < 0)) {
      return OUT_OF_ORDER;
    }
    return OK;
  }

  private static int labelRunes(Labels ls) {
    int n = 0;
    for (int i = 0; i < ls.size(); i++) {
      n += ls.name(i).codePointCount(0, ls.name(i).length());
      n += ls.value(i).codePointCount(0, ls.value(i).length());
    }
    return n;
  }

  /** Validates and adds; returns the validation outcome (added only when OK). */
  synchronized int add(Labels series, Exemplar e) {
    int r = validate(series, e);
    if (r != OK || max == 0) {
      return r;
    }
    int slot;
    if (used < max) {
      slot = used++;
      if (slot == ts.length) {
        grow(Math.min(max, Math.max(16, ts.length * 2)));
      }
    } else {
      slot = nextIndex;
      nextIndex = (nextIndex + 1) % max;
      evict(slot);
    }
    Entry en = index.get(series);
    if (en == null) {
      en = new Entry(series);
      en.oldest = slot;
      index.put(series, en);
    } else {
      next[en.newest] = slot;
    }
    en.newest = slot;
    ts[slot] = e.timestampMs();
    vs[slot] = e.value();
    labels[slot] = e.labels();
    next[slot] = NONE;
    owner[slot] = en;
    appended++;
    return OK;
  }

  /** Receives one held exemplar with its series' labels. */
  @FunctionalInterface
  interface Visitor {
    void exemplar(Labels series, long t, double v, Labels labels);
  }

  /** Calls {@code v} with every held exemplar, oldest first (the order they were added). */
  synchronized void forEachInOrder(Visitor v) {
    int start = used < max ? 0 : nextIndex;
    for (int k = 0; k < used; k++) {
      int slot = (start + k) % used;
      Entry en = owner[slot];
      if (en != null) {
        v.exemplar(en.series, ts[slot], vs[slot], labels[slot]);
      }
    }
  }

  /** Frees a slot; it is always the oldest of its series, since lists follow insertion order. */
  private void evict(int slot) {
    Entry en = owner[slot];
    if (en == null) {
      return;
    }
    if (next[slot] == NONE) {
      index.remove(en.series);
    } else {
      en.oldest = next[slot];
    }
    owner[slot] = null;
    labels[slot] = null;
  }

  private void grow(int cap) {
    ts = java.util.Arrays.copyOf(ts, cap);
    vs = java.util.Arrays.copyOf(vs, cap);
    labels = java.util.Arrays.copyOf(labels, cap);
    next = java.util.Arrays.copyOf(next, cap);
    owner = java.util.Arrays.copyOf(owner, cap);
  }

  synchronized List<ExemplarSeries> select(long start, long end, List<List<Matcher>> sets) {
    List<ExemplarSeries> out = new ArrayList<>();
    for (Entry en : index.values()) {
      if (ts[en.oldest] > end || ts[en.newest] < start || !matchesAny(en.series, sets)) {
        continue;
      }
      List<Exemplar> ex = new ArrayList<>();
      for (int i = en.oldest; i != NONE && ts[i] <= end; i = next[i]) {
        if (ts[i] >= start) {
          ex.add(new Exemplar(labels[i], vs[i], ts[i]));
        }
      }
      if (!ex.isEmpty()) {
        out.add(new ExemplarSeries(en.series, ex));
      }
    }
    out.sort((a, b) -> Utf8Order.compare(a.seriesLabels(), b.seriesLabels()));
    return out;
  }

  private static boolean matchesAny(Labels ls, List<List<Matcher>> sets) {
    outer:
    for (List<Matcher> set : sets) {
      for (Matcher m : set) {
        String v = ls.get(m.name());
        if (!m.matches(v == null ? "" : v)) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * Changes the capacity (config reload), keeping the newest exemplars that fit in the order
   * they were added.
   */
  synchronized void resize(int newMax) {
    newMax = Math.max(0, newMax);
    if (newMax == max) {
      return;
    }
    // Slots in insertion order: from nextIndex when wrapped, else from 0.
    int n = used;
    int start = used == max ? nextIndex : 0;
    List<Labels> series = new ArrayList<>();
    List<Exemplar> ex = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      int i = (start + k) % Math.max(1, n);
      if (owner[i] != null) {
        series.add(owner[i].series);
        ex.add(new Exemplar(labels[i], vs[i], ts[i]));
      }
    }
    max = newMax;
    ts = new long[0];
    vs = new double[0];
    labels = new Labels[0];
    next = new int[0];
    owner = new Entry[0];
    used = 0;
    nextIndex = 0;
    index.clear();
    long keepAppended = appended;
    for (int k = Math.max(0, ex.size() - newMax); k < ex.size(); k++) {
      add(series.get(k), ex.get(k));
    }
    appended = keepAppended;
  }

  /** Approximate heap bytes of the buffer (not the exemplar label strings). */
  synchronized long bytes() {
    return 16L * 5 + ts.length * (8L + 8 + 4 + 4 + 4) + index.size() * 64L;
  }
}

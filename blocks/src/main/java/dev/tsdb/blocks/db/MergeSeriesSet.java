package dev.tsdb.blocks.db;

import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.SeriesSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;

/**
 * K-way merge of series sets sorted by labels (Go's byte order, {@link Utf8Order}): series with
 * equal labels in several sets come out once, as a {@link MergeSeries} whose parts keep the sets'
 * order (lower index = higher priority for duplicate timestamps).
 */
final class MergeSeriesSet implements SeriesSet {
  private final SeriesSet[] sets;
  private final boolean disjoint;
  private final PriorityQueue<Cursor> heap = new PriorityQueue<>();
  private final List<Cursor> group = new ArrayList<>();
  private boolean initialized;
  private Series cur;
  private Exception err;

  private static final class Cursor implements Comparable<Cursor> {
    final int source;
    Series series;

    Cursor(int source) {
      this.source = source;
    }

    @Override
    public int compareTo(Cursor o) {
      int c = Utf8Order.compare(series.labels(), o.series.labels());
      return c != 0 ? c : Integer.compare(source, o.source);
    }
  }

  /** @param disjoint whether the sets' time ranges are disjoint and ascending */
  MergeSeriesSet(SeriesSet[] sets, boolean disjoint) {
    this.sets = sets;
    this.disjoint = disjoint;
  }

  private boolean advance(Cursor c) {
    SeriesSet s = sets[c.source];
    if (s.next()) {
      c.series = s.at();
      return true;
    }
    if (s.error() != null && err == null) {
      err = s.error();
    }
    return false;
  }

  @Override
  public boolean next() {
    if (!initialized) {
      initialized = true;
      for (int i = 0; i < sets.length; i++) {
        Cursor c = new Cursor(i);
        if (advance(c)) {
          heap.add(c);
        }
      }
    } else {
      for (Cursor c : group) {
        if (advance(c)) {
          heap.add(c);
        }
      }
    }
    group.clear();
    if (err != null || heap.isEmpty()) {
      cur = null;
      return false;
    }
    Cursor first = heap.poll();
    group.add(first);
    Labels labels = first.series.labels();
    while (!heap.isEmpty() && heap.peek().series.labels().equals(labels)) {
      group.add(heap.poll());
    }
    if (group.size() == 1) {
      cur = first.series;
    } else {
      Series[] parts = new Series[group.size()];
      for (int i = 0; i < parts.length; i++) {
        parts[i] = group.get(i).series; // heap order within equal labels is by source index
      }
      cur = new MergeSeries(labels, parts, disjoint);
    }
    return true;
  }

  @Override
  public Series at() {
    return cur;
  }

  @Override
  public Exception error() {
    return err;
  }

  @Override
  public List<String> warnings() {
    LinkedHashSet<String> w = new LinkedHashSet<>();
    for (SeriesSet s : sets) {
      w.addAll(s.warnings());
    }
    return new ArrayList<>(w);
  }
}

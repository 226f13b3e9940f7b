package dev.tsdb.blocks.db;

import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A querier over several sources (blocks in time order, then the head) answering as one: series
 * merged by labels and samples by timestamp with duplicates dropped, label names and values
 * united. Closing closes every part, then runs the release action.
 */
final class MergeQuerier implements Querier {
  private final List<Querier> parts;
  private final boolean disjoint;
  private final Runnable onClose;
  private boolean closed;

  /**
   * @param disjoint whether the parts' time ranges are disjoint and ascending, so a series' parts
   *     can be read one after the other instead of merged sample by sample
   */
  MergeQuerier(List<Querier> parts, boolean disjoint, Runnable onClose) {
    this.parts = List.copyOf(parts);
    this.disjoint = disjoint;
    this.onClose = onClose;
  }

  @Override
  public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
    if (parts.isEmpty()) {
      return SeriesSet.empty();
    }
    if (parts.size() == 1) {
      return parts.get(0).select(sorted, hints, matchers);
    }
    SeriesSet[] sets = new SeriesSet[parts.size()];
    for (int i = 0; i < sets.length; i++) {
      sets[i] = parts.get(i).select(true, hints, matchers);
    }
    return new MergeSeriesSet(sets, disjoint);
  }

  @Override
  public List<String> labelValues(String name, Matcher... matchers) {
    if (parts.size() == 1) {
      return parts.get(0).labelValues(name, matchers);
    }
    TreeSet<String> out = new TreeSet<>(Utf8Order::compare);
    for (Querier q : parts) {
      out.addAll(q.labelValues(name, matchers));
    }
    return new ArrayList<>(out);
  }

  @Override
  public List<String> labelNames(Matcher... matchers) {
    if (parts.size() == 1) {
      return parts.get(0).labelNames(matchers);
    }
    TreeSet<String> out = new TreeSet<>(Utf8Order::compare);
    for (Querier q : parts) {
      out.addAll(q.labelNames(matchers));
    }
    return new ArrayList<>(out);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (Querier q : parts) {
        q.close();
      }
    } finally {
      onClose.run();
    }
  }
}

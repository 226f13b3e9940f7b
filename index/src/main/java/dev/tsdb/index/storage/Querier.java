package dev.tsdb.index.storage;

import dev.tsdb.index.labels.Matcher;
import java.io.Closeable;
import java.util.List;

/** Reads series, label names and label values within the time range it was opened for. */
public interface Querier extends Closeable {
  /**
   * Series matching all matchers (at least one matcher must not match the empty string).
   *
   * @param sorted whether the caller needs series in label order
   * @param hints what the caller will read, for pushdown; may be null
   */
  SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers);

  /** Sorted distinct values of a label among series matching the matchers (all if none). */
  List<String> labelValues(String name, Matcher... matchers);

  /** Sorted distinct label names among series matching the matchers (all if none). */
  List<String> labelNames(Matcher... matchers);

  @Override
  void close();
}

package dev.tsdb.index.storage;

import java.util.List;

/**
 * What a select will be used for: the time range really needed (after lookback, ranges,
 * offsets) and, for pushdown, the function and grouping around it. All times in milliseconds.
 */
public record SelectHints(long start, long end, long step, long range, String func,
    List<String> grouping, boolean by) {
  public static SelectHints range(long start, long end) {
    return new SelectHints(start, end, 0, 0, null, List.of(), false);
  }
}

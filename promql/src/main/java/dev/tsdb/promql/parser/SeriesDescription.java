package dev.tsdb.promql.parser;

import dev.tsdb.index.labels.Labels;
import java.util.List;

/**
 * A parsed series description of the test-script {@code load} command:
 * {@code metric{labels} 1 2+3x4 _ stale}. As upstream, {@code a+bxN} expands to N+1 values
 * (the first is for time 0) and {@code _xN} to N omitted values. {@code startTimestamps} is set
 * for {@code metric@st ...} lines, whose values are the start timestamps of that series'
 * samples.
 */
public record SeriesDescription(Labels labels, List<SequenceValue> values,
    boolean startTimestamps) {
  public SeriesDescription {
    values = List.copyOf(values);
  }

  public SeriesDescription(Labels labels, List<SequenceValue> values) {
    this(labels, values, false);
  }
}

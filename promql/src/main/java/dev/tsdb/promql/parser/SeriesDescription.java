package dev.tsdb.promql.parser;

import dev.tsdb.labels.Labels;
import java.util.List;

/**
 * A parsed series description of the test-script {@code load} command:
 * {@code metric{labels} 1 2+3x4 _ stale}. As upstream, {@code a+bxN} expands to N+1 values
 * (the first is for time 0) and {@code _xN} to N omitted values.
 */
public record SeriesDescription(Labels labels, List<SequenceValue> values) {
  public SeriesDescription {
    values = List.copyOf(values);
  }
}

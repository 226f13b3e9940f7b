package dev.tsdb.promql;

import dev.tsdb.promql.value.Value;
import java.util.List;

/** A successful evaluation: the value plus the warnings and infos Prometheus would return. */
public record QueryResult(Value value, List<String> warnings, List<String> infos) {
  public QueryResult {
    warnings = List.copyOf(warnings);
    infos = List.copyOf(infos);
  }
}

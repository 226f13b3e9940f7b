package dev.tsdb.promql;

import dev.tsdb.promql.value.Value;
import java.util.List;

/**
 * A successful evaluation: the value plus the warnings and infos Prometheus would return, and
 * what the evaluation cost (reported when the API is asked for {@code stats}).
 */
public record QueryResult(Value value, List<String> warnings, List<String> infos,
    QueryStats stats) {
  public QueryResult {
    warnings = List.copyOf(warnings);
    infos = List.copyOf(infos);
    stats = stats == null ? QueryStats.NONE : stats;
  }

  public QueryResult(Value value, List<String> warnings, List<String> infos) {
    this(value, warnings, infos, QueryStats.NONE);
  }
}

package dev.tsdb.rules;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.QueryEngine;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.promql.value.Scalar;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.rules.template.QueryFunction;
import dev.tsdb.index.storage.Queryable;
import java.util.List;

/**
 * Prometheus's rules.EngineQueryFunc: runs instant queries on the engine and turns a scalar result
 * into a one-sample vector without labels; any other result type is an error.
 */
public final class EngineQueryFunc {
  private EngineQueryFunc() {}

  public static QueryFunction of(QueryEngine engine, Queryable storage, QueryOptions options) {
    return (expr, timeMs) -> {
      QueryResult r = engine.instantQuery(storage, expr, timeMs, options);
      if (r.value() instanceof Vector v) {
        return v.samples();
      }
      if (r.value() instanceof Scalar s) {
        return List.of(new Sample(Labels.EMPTY, s.timestampMs(), s.value()));
      }
      throw new RuleEvalException("rule result is not a vector or scalar");
    };
  }
}

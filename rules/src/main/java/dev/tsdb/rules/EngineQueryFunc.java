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
import dev.tsdb.rules.querylog.LoggedQuery;
import dev.tsdb.rules.querylog.QueryLogger;
import java.util.List;

/**
 * Prometheus's rules.EngineQueryFunc: runs instant queries on the engine and turns a scalar result
 * into a one-sample vector without labels; any other result type is an error.
 */
public final class EngineQueryFunc {
  private EngineQueryFunc() {}

  public static QueryFunction of(QueryEngine engine, Queryable storage, QueryOptions options) {
    return of(engine, storage, options, null);
  }

  /** As {@link #of(QueryEngine, Queryable, QueryOptions)}, each query logged to {@code log}. */
  public static QueryFunction of(QueryEngine engine, Queryable storage, QueryOptions options,
      QueryLogger log) {
    return (expr, timeMs) -> {
      QueryResult r = log == null ? engine.instantQuery(storage, expr, timeMs, options)
          : LoggedQuery.run(log, expr, timeMs, timeMs, 0,
              () -> engine.instantQuery(storage, expr, timeMs, options));
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

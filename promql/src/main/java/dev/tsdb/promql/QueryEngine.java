package dev.tsdb.promql;

import dev.tsdb.index.storage.Queryable;

/**
 * The engine as the API and the rule manager see it. Parse errors are thrown as
 * {@link PromQLException} with {@link ErrorType#BAD_DATA}; evaluation errors with EXECUTION,
 * TIMEOUT or CANCELED.
 */
public interface QueryEngine {
  /** Evaluates {@code query} at one instant (milliseconds). */
  QueryResult instantQuery(Queryable storage, String query, long timeMs, QueryOptions options);

  /** Evaluates {@code query} at every step from start to end inclusive (milliseconds). */
  QueryResult rangeQuery(Queryable storage, String query, long startMs, long endMs, long stepMs,
      QueryOptions options);
}

package dev.tsdb.server;

import dev.tsdb.api.SelectorParser;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.QueryEngine;

/**
 * The one place the server creates its PromQL engine and parser. Until the engine and parser
 * modules land, queries answer "unavailable".
 */
public final class EngineFactory {
  /** Engine settings from flags. */
  public record Options(long lookbackDeltaMs, long timeoutMs, int maxSamples,
      int maxConcurrency) {}

  private EngineFactory() {}

  public static QueryEngine create(Options options) {
    return new QueryEngine() {
      @Override
      public dev.tsdb.promql.QueryResult instantQuery(dev.tsdb.storage.Queryable storage,
          String query, long timeMs, dev.tsdb.promql.QueryOptions o) {
        throw unavailable();
      }

      @Override
      public dev.tsdb.promql.QueryResult rangeQuery(dev.tsdb.storage.Queryable storage,
          String query, long startMs, long endMs, long stepMs, dev.tsdb.promql.QueryOptions o) {
        throw unavailable();
      }
    };
  }

  public static SelectorParser selectorParser() {
    return s -> {
      throw unavailable();
    };
  }

  private static PromQLException unavailable() {
    return new PromQLException(ErrorType.UNAVAILABLE, "PromQL engine not available yet");
  }
}

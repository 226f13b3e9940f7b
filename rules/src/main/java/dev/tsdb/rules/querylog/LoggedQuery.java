package dev.tsdb.rules.querylog;

import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.ErrorType;
import java.util.function.Supplier;

/** Runs one engine call and writes its query log line (origin from {@link QueryOrigin}). */
public final class LoggedQuery {
  private LoggedQuery() {}

  /**
   * As Prometheus, a query that does not parse is not logged (it never reaches the engine's
   * execution); one that fails while running is logged with its error.
   */
  public static <T> T run(QueryLogger log, String query, long startMs, long endMs, long stepMs,
      Supplier<T> call) {
    return run(log, query, startMs, endMs, stepMs, call, QueryOrigin.current());
  }

  /** With an explicit origin (e.g. {@link QueryOrigin#httpRequest}). */
  public static <T> T run(QueryLogger log, String query, long startMs, long endMs, long stepMs,
      Supplier<T> call, java.util.Map<String, java.util.Map<String, String>> origin) {
    if (!log.enabled()) {
      return call.get();
    }
    long t0 = System.nanoTime();
    String error = null;
    try {
      return call.get();
    } catch (PromQLException e) {
      error = e.type() == ErrorType.BAD_DATA ? null : e.getMessage();
      if (e.type() == ErrorType.BAD_DATA) {
        t0 = -1;
      }
      throw e;
    } catch (RuntimeException e) {
      error = e.getMessage();
      throw e;
    } finally {
      if (t0 >= 0) {
        log.log(new QueryLogEntry(query, startMs, endMs, stepMs, System.nanoTime() - t0, error,
            origin));
      }
    }
  }
}

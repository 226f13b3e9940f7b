package dev.tsdb.promql.engine;

import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.ast.VectorSelector;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.QueryAbortedException;
import dev.tsdb.index.storage.QueryCancellation;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.SeriesSet;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * State shared by all evaluators of one query: the querier, the series each selector selected
 * (selected lazily, once), limits, annotations and scratch buffers.
 */
final class QueryContext {
  final Querier querier;
  final String query;
  final long lookbackMs;
  final long maxSamples;
  final long deadlineNanos;
  final long timeoutMs;
  final boolean delayedNameRemoval;
  final long noStepSubqueryIntervalMs;
  final Annotations annotations = new Annotations();
  /** Samples read and held, for the query's stats. */
  final SampleStats samples = new SampleStats();
  final Map<VectorSelector, SelectHints> hints;
  /** Selectors read as histogram statistics only (see {@link HistogramStatsSelectors}). */
  private final Set<VectorSelector> statsOnly;
  private final Map<VectorSelector, List<Series>> expanded = new IdentityHashMap<>();
  final SampleBuffer buffer = new SampleBuffer();
  /** Deadline and client cancellation; storage sees it as the thread's current one. */
  final QueryCancellation cancellation;
  private int checkCounter;

  QueryContext(Querier querier, String query, long lookbackMs, long maxSamples,
      long timeoutMs, boolean delayedNameRemoval, long noStepSubqueryIntervalMs,
      Map<VectorSelector, SelectHints> hints) {
    this(querier, query, lookbackMs, maxSamples, timeoutMs, delayedNameRemoval,
        noStepSubqueryIntervalMs, hints, Set.of());
  }

  QueryContext(Querier querier, String query, long lookbackMs, long maxSamples,
      long timeoutMs, boolean delayedNameRemoval, long noStepSubqueryIntervalMs,
      Map<VectorSelector, SelectHints> hints, Set<VectorSelector> statsOnly) {
    this(querier, query, lookbackMs, maxSamples, timeoutMs, delayedNameRemoval,
        noStepSubqueryIntervalMs, hints, statsOnly, null);
  }

  /**
   * @param cancellation when the query must stop (deadline, client gone); null for one with
   *     just a deadline {@code timeoutMs} from now
   */
  QueryContext(Querier querier, String query, long lookbackMs, long maxSamples,
      long timeoutMs, boolean delayedNameRemoval, long noStepSubqueryIntervalMs,
      Map<VectorSelector, SelectHints> hints, Set<VectorSelector> statsOnly,
      QueryCancellation cancellation) {
    this.statsOnly = statsOnly;
    this.querier = querier;
    this.query = query;
    this.lookbackMs = lookbackMs;
    this.maxSamples = maxSamples;
    this.buffer.maxSamples = maxSamples;
    this.timeoutMs = timeoutMs;
    this.deadlineNanos = System.nanoTime() + timeoutMs * 1_000_000L;
    this.cancellation = cancellation != null ? cancellation
        : QueryCancellation.create().withDeadline(deadlineNanos);
    this.delayedNameRemoval = delayedNameRemoval;
    this.noStepSubqueryIntervalMs = noStepSubqueryIntervalMs;
    this.hints = hints;
  }

  /** Throws the timeout or cancellation error when the query must stop. */
  void checkDone(String env) {
    try {
      cancellation.throwIfDone();
    } catch (QueryAbortedException e) {
      throw aborted(e, env);
    }
  }

  /** Prometheus's error for a query stopped in {@code env} (ErrQueryTimeout/ErrQueryCanceled). */
  static PromQLException aborted(QueryAbortedException e, String env) {
    return e.deadlineExceeded()
        ? new PromQLException(ErrorType.TIMEOUT, "query timed out in " + env)
        : new PromQLException(ErrorType.CANCELED, "query was canceled in " + env);
  }

  /** A cheaper check for tight loops: looks at the clock every 256 calls. */
  void maybeCheckDone() {
    if ((++checkCounter & 0xFF) == 0) {
      checkDone("expression evaluation");
    }
  }

  static PromQLException tooManySamples() {
    return new PromQLException(ErrorType.EXECUTION,
        "query processing would load too many samples into memory in query execution");
  }

  /** The series of a selector, selected from storage on first use. */
  List<Series> series(VectorSelector vs) {
    List<Series> s = expanded.get(vs);
    if (s != null) {
      return s;
    }
    SelectHints h = hints.get(vs);
    Matcher[] ms = vs.matchers().toArray(new Matcher[0]);
    boolean stats = statsOnly.contains(vs);
    s = new ArrayList<>();
    SeriesSet set;
    try {
      set = querier.select(true, h, ms);
      long n = 0;
      while (set.next()) {
        QueryCancellation.checkEvery(n++);
        s.add(stats ? new HistogramStatsSeries(set.at()) : set.at());
      }
    } catch (QueryAbortedException e) {
      // Storage stopped matching postings or selecting series: Prometheus reports the context
      // error of its expansion as is (422 for a deadline, 499 for a cancellation).
      throw new PromQLException(e.deadlineExceeded() ? ErrorType.EXECUTION : ErrorType.CANCELED,
          "expanding series: " + e.getMessage());
    }
    if (set.error() != null) {
      throw new PromQLException(ErrorType.EXECUTION,
          "expanding series: " + set.error().getMessage(), set.error());
    }
    for (String w : set.warnings()) {
      annotations.storageWarning(w);
    }
    expanded.put(vs, s);
    return s;
  }
}

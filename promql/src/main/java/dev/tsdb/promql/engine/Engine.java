package dev.tsdb.promql.engine;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.QueryEngine;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.ast.DurationResolver;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.ExprType;
import dev.tsdb.promql.value.Matrix;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.promql.value.Scalar;
import dev.tsdb.promql.value.SeriesPoints;
import dev.tsdb.promql.value.StringValue;
import dev.tsdb.promql.value.Value;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.Queryable;
import dev.tsdb.index.storage.QueryAbortedException;
import dev.tsdb.index.storage.QueryCancellation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The PromQL engine: parses a query, prepares it (see {@link Preprocessor}), opens one querier
 * over exactly the time range the query needs, evaluates it and returns the value with the
 * warnings and infos Prometheus would return. At most {@code maxConcurrency} queries evaluate
 * at once; the others wait (the wait counts against their timeout).
 */
public final class Engine implements QueryEngine {
  /** Parses query text; errors are thrown as PromQLException with BAD_DATA. */
  public interface ExprParser {
    Expr parse(String query);
  }

  private final EngineOptions options;
  private final ExprParser parser;
  private final Semaphore slots;
  private final ParseCache parsed = new ParseCache(PARSE_CACHE_SIZE);
  /** Distinct query texts whose parse is kept (a few KB each at most). */
  static final int PARSE_CACHE_SIZE = 512;

  /** An engine parsing with the parser settings the options imply. */
  public Engine(EngineOptions options) {
    this(options, q -> dev.tsdb.promql.parser.Parser.parseExpr(q, options.parserOptions()));
  }

  public Engine(EngineOptions options, ExprParser parser) {
    this.options = options;
    this.parser = parser;
    this.slots = new Semaphore(options.maxConcurrency(), true);
  }

  public EngineOptions options() {
    return options;
  }

  @Override
  public QueryResult instantQuery(Queryable storage, String query, long timeMs,
      QueryOptions opts) {
    Expr expr = parsed.parse(query, parser);
    return exec(storage, expr, query, timeMs, timeMs, 0, opts);
  }

  @Override
  public QueryResult rangeQuery(Queryable storage, String query, long startMs, long endMs,
      long stepMs, QueryOptions opts) {
    if (stepMs <= 0) {
      throw new PromQLException(ErrorType.BAD_DATA,
          "zero or negative query resolution step widths are not accepted. "
              + "Try a positive integer");
    }
    if (endMs < startMs) {
      throw new PromQLException(ErrorType.BAD_DATA, "end timestamp must not be before start time");
    }
    Expr expr = parsed.parse(query, parser);
    return exec(storage, expr, query, startMs, endMs, stepMs, opts);
  }

  /**
   * Evaluates an already parsed expression. {@code stepMs} 0 means an instant query at
   * {@code startMs}; {@code queryText} is used to render annotation positions.
   */
  public QueryResult exec(Queryable storage, Expr expr, String queryText, long startMs,
      long endMs, long stepMs, QueryOptions opts) {
    boolean instant = stepMs == 0;
    if (!instant && expr.type() != ExprType.VECTOR && expr.type() != ExprType.SCALAR) {
      throw new PromQLException(ErrorType.BAD_DATA, "invalid expression type \""
          + expr.type().documentedName() + "\" for range query, must be Scalar or instant Vector");
    }
    long timeoutMs = opts != null && opts.timeoutMs() > 0 ? opts.timeoutMs() : options.timeoutMs();
    long lookback = opts != null && opts.lookbackDeltaMs() > 0 ? opts.lookbackDeltaMs()
        : options.lookbackDeltaMs();
    QueryTimer timer = new QueryTimer();
    long queued = System.nanoTime();
    QueryCancellation request = QueryCancellation.current();
    long requestTimeoutMs = opts != null ? opts.requestTimeoutMs() : 0;
    awaitSlot(request, queued, requestTimeoutMs);
    timer.slotAcquired();
    try {
      // The engine's timeout starts once the query runs; the request's own timeout parameter
      // started when it was submitted (Prometheus 3.5: ng.timeout is set in exec, after the
      // queue; the request context carries the parameter from the start).
      long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
      if (requestTimeoutMs > 0) {
        deadline = earlier(deadline, queued + requestTimeoutMs * 1_000_000L);
      }
      QueryCancellation cancellation = (request != null ? request : QueryCancellation.create())
          .withDeadline(deadline);
      int depth = depth(expr);
      if (depth > options.maxNestingDepth()) {
        throw new PromQLException(ErrorType.BAD_DATA, "query is too deeply nested (more than "
            + options.maxNestingDepth() + " levels)");
      }
      if (depth > SHALLOW_DEPTH) {
        // Evaluation recurses per nesting level; Go grows its stacks, we use a big one.
        return onLargeStack(() -> run(storage, expr, queryText, startMs, endMs, stepMs, instant,
            lookback, cancellation, timer));
      }
      return run(storage, expr, queryText, startMs, endMs, stepMs, instant, lookback,
          cancellation, timer);
    } catch (StackOverflowError e) {
      throw new PromQLException(ErrorType.EXECUTION, "query is too deeply nested");
    } catch (OutOfMemoryError e) {
      throw new PromQLException(ErrorType.EXECUTION,
          "query processing would load too many samples into memory in query execution");
    } finally {
      slots.release();
    }
  }

  /**
   * Waits for one of the {@code maxConcurrency} slots. As Prometheus 3.5 does it (checked against
   * its binary): only the request's own timeout parameter bounds the wait, and running out of it
   * is reported as a failure to prepare the query ({@code invalid parameter "query": context
   * deadline exceeded}, 400); without it the query waits until a slot is free. A client that
   * goes away stops the wait ({@code context canceled}).
   */
  private void awaitSlot(QueryCancellation request, long queued, long requestTimeoutMs) {
    long deadline = queued + requestTimeoutMs * 1_000_000L;
    try {
      while (true) {
        long waitNanos = QUEUE_POLL_NANOS;
        if (requestTimeoutMs > 0) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new PromQLException(ErrorType.BAD_DATA, "context deadline exceeded");
          }
          waitNanos = Math.min(waitNanos, left);
        }
        if (slots.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
          return;
        }
        if (request != null && request.isCanceled()) {
          throw new PromQLException(ErrorType.BAD_DATA, "context canceled");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PromQLException(ErrorType.BAD_DATA, "context canceled");
    }
  }

  /** How often a queued query looks whether its client is still there. */
  private static final long QUEUE_POLL_NANOS = 50_000_000L;

  private static long earlier(long aNanos, long bNanos) {
    return aNanos - bNanos <= 0 ? aNanos : bNanos;
  }

  private QueryResult run(Queryable storage, Expr expr, String queryText, long startMs,
      long endMs, long stepMs, boolean instant, long lookback, QueryCancellation cancellation,
      QueryTimer timer) {
    // Storage reads deep in this query check the query's cancellation through the thread.
    try (QueryCancellation.Scope bound = cancellation.enter()) {
      return runBound(storage, expr, queryText, startMs, endMs, stepMs, instant, lookback,
          cancellation, timer);
    } catch (QueryAbortedException e) {
      // A check outside the evaluator's own (chunk decoding, sorting) stopped the query.
      throw QueryContext.aborted(e, "expression evaluation");
    }
  }

  private QueryResult runBound(Queryable storage, Expr expr, String queryText, long startMs,
      long endMs, long stepMs, boolean instant, long lookback, QueryCancellation cancellation,
      QueryTimer timer) {
    timer.evalStarted();
    long evalEnd = instant ? startMs : endMs;
    // Durations written as expressions (foo[step()*2], offset (1h+5m)) get their values first:
    // everything after works on the millisecond fields only.
    Expr resolved = DurationResolver.resolve(expr, startMs, evalEnd, stepMs);
    Expr prepared = Preprocessor.run(resolved, startMs, evalEnd, stepMs);
    SelectorRanges ranges = SelectorRanges.compute(prepared, startMs, evalEnd, stepMs, lookback,
        options.noStepSubqueryIntervalMs());
    Querier querier;
    try {
      querier = storage.querier(ranges.mint, ranges.maxt);
    } catch (IOException e) {
      throw new PromQLException(ErrorType.INTERNAL, e.getMessage(), e);
    }
    try {
      QueryContext ctx = new QueryContext(querier, queryText, lookback, options.maxSamples(),
          0, options.enableDelayedNameRemoval(), options.noStepSubqueryIntervalMs(),
          ranges.hints, HistogramStatsSelectors.of(prepared), cancellation);
      long interval = instant ? 1 : stepMs;
      if (!instant && (endMs - startMs) / stepMs + 1 > options.maxSamples()) {
        throw QueryContext.tooManySamples();
      }
      Evaluator ev = new Evaluator(ctx, startMs, evalEnd, interval, 0);
      timer.innerStarted();
      Object val = ev.eval(prepared);
      timer.innerEnded();
      if (val instanceof String s) {
        return result(new StringValue(startMs, s), ctx, timer);
      }
      @SuppressWarnings("unchecked")
      List<EvalSeries> mat = (List<EvalSeries>) val;
      if (options.enableDelayedNameRemoval()) {
        for (EvalSeries s : mat) {
          if (s.dropName) {
            s.metric = LabelOps.dropMetadata(s.metric);
          }
        }
        mat = ev.mergeSeriesWithSameLabelset(mat);
      }
      if (!instant) {
        ctx.checkDone("expression evaluation");
        return result(toMatrix(mat, timer), ctx, timer);
      }
      switch (expr.type()) {
        case VECTOR: {
          List<Sample> samples = new ArrayList<>(mat.size());
          for (EvalSeries s : mat) {
            samples.add(new Sample(s.metric, startMs, s.vs[0], s.h(0)));
          }
          return result(new Vector(samples), ctx, timer);
        }
        case SCALAR:
          return result(new Scalar(startMs, mat.isEmpty() ? Double.NaN : mat.get(0).vs[0]), ctx,
              timer);
        default:
          return result(toMatrix(mat, timer), ctx, timer);
      }
    } finally {
      querier.close();
    }
  }

  private static QueryResult result(Value v, QueryContext ctx, QueryTimer timer) {
    return new QueryResult(v, ctx.annotations.warnings(ctx.query),
        ctx.annotations.infos(ctx.query), timer.stats(ctx.samples));
  }

  private static Matrix toMatrix(List<EvalSeries> mat, QueryTimer timer) {
    List<SeriesPoints> out = new ArrayList<>(mat.size());
    for (EvalSeries s : mat) {
      FloatHistogram[] hs = s.hasHistograms()
          ? (s.hs.length == s.n ? s.hs : Arrays.copyOf(s.hs, s.n)) : null;
      out.add(new SeriesPoints(s.metric, s.ts.length == s.n ? s.ts : Arrays.copyOf(s.ts, s.n),
          s.vs.length == s.n ? s.vs : Arrays.copyOf(s.vs, s.n), s.n, hs));
    }
    long sortStart = System.nanoTime();
    out.sort((a, b) -> a.metric().compareTo(b.metric()));
    timer.sorted(System.nanoTime() - sortStart);
    return new Matrix(out);
  }

  /** Nesting depth of an expression, computed without recursion. */
  static int depth(Expr root) {
    java.util.ArrayDeque<Object[]> stack = new java.util.ArrayDeque<>();
    stack.push(new Object[] {root, 1});
    int max = 0;
    while (!stack.isEmpty()) {
      Object[] top = stack.pop();
      int d = (Integer) top[1];
      max = Math.max(max, d);
      for (Expr c : ((Expr) top[0]).children()) {
        stack.push(new Object[] {c, d + 1});
      }
    }
    return max;
  }

  private static final int SHALLOW_DEPTH = 200;
  private static final long LARGE_STACK_BYTES = 1L << 30;

  private static QueryResult onLargeStack(java.util.function.Supplier<QueryResult> work) {
    java.util.concurrent.atomic.AtomicReference<QueryResult> result =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        result.set(work.get());
      } catch (RuntimeException | Error e) {
        failure.set(e);
      }
    }, "promql-deep-eval", LARGE_STACK_BYTES);
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        // Cancel the evaluation; it notices the interrupt and ends with CANCELED.
        interrupted = true;
        t.interrupt();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable f = failure.get();
    if (f instanceof RuntimeException re) {
      throw re;
    }
    if (f instanceof Error err) {
      throw err;
    }
    return result.get();
  }

}

package dev.tsdb.api.handlers;

import dev.tsdb.api.ApiException;
import dev.tsdb.api.ApiMetrics;
import dev.tsdb.api.http.ApiRequest;
import dev.tsdb.api.http.ApiResult;
import dev.tsdb.api.json.ApiJson;
import dev.tsdb.api.json.ValueJson;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.QueryEngine;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.value.Matrix;
import dev.tsdb.rules.querylog.LoggedQuery;
import dev.tsdb.rules.querylog.QueryLogger;
import dev.tsdb.rules.querylog.QueryOrigin;
import dev.tsdb.promql.value.Value;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.ExemplarQueryable;
import dev.tsdb.index.storage.ExemplarSeries;
import dev.tsdb.index.storage.Queryable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** /api/v1/query, query_range, query_exemplars, format_query and parse_query. */
public final class QueryApi {
  /** Prometheus refuses range queries with more points than this per series. */
  static final long MAX_POINTS = 11000;

  private final QueryEngine engine;
  private final Queryable storage;
  private final LongSupplier clock;
  private final long defaultTimeoutMs;
  private final ApiMetrics.QueryObserver observer;
  /** global.query_log_file; null: none. */
  private QueryLogger queryLog;

  public QueryApi(QueryEngine engine, Queryable storage, LongSupplier clock,
      long defaultTimeoutMs) {
    this(engine, storage, clock, defaultTimeoutMs, ApiMetrics.QueryObserver.NONE);
  }

  public QueryApi(QueryEngine engine, Queryable storage, LongSupplier clock,
      long defaultTimeoutMs, ApiMetrics.QueryObserver observer) {
    this.engine = engine;
    this.storage = storage;
    this.clock = clock;
    this.defaultTimeoutMs = defaultTimeoutMs;
    this.observer = observer;
  }

  /** Logs every query this API runs to {@code log} (Prometheus's query_log_file). */
  public QueryApi queryLog(QueryLogger log) {
    this.queryLog = log;
    return this;
  }

  /** The engine call, written to the query log with the HTTP request as its origin. */
  private QueryResult logged(ApiRequest r, String q, long startMs, long endMs, long stepMs,
      Evaluation e) {
    if (queryLog == null || !queryLog.enabled()) {
      return e.run();
    }
    var ex = r.exchange();
    var src = ex.getSourceAddress();
    String ip = src == null ? "" : src.getAddress() != null
        ? src.getAddress().getHostAddress() : src.getHostString();
    Map<String, Map<String, String>> origin = QueryOrigin.httpRequest(ip,
        ex.getRequestMethod().toString(), ex.getRequestPath());
    return LoggedQuery.run(queryLog, q, startMs, endMs, stepMs, e::run, origin);
  }

  private interface Evaluation {
    QueryResult run();
  }

  /** Runs one engine call, observed for prometheus_engine_* metrics. */
  private QueryResult observed(Evaluation e) {
    observer.started();
    long t0 = System.nanoTime();
    try {
      return e.run();
    } finally {
      observer.finished(System.nanoTime() - t0);
    }
  }

  public ApiResult query(ApiRequest r) throws IOException {
    long t = RequestParams.time(r, "time", clock.getAsLong());
    QueryOptions opts = options(r);
    int limit = RequestParams.limit(r);
    QueryResult res;
    try {
      String q = r.param("query");
      res = observed(() -> logged(r, q, t, t, 0, () -> engine.instantQuery(storage, q, t, opts)));
    } catch (PromQLException e) {
      if (e.type() == ErrorType.BAD_DATA) {
        throw ApiException.invalidParam("query", e.getMessage());
      }
      throw e;
    }
    return answer(res, limit, !r.param("stats").isEmpty());
  }

  public ApiResult queryRange(ApiRequest r) throws IOException {
    long start = RequestParams.requiredTime(r, "start");
    long end = RequestParams.requiredTime(r, "end");
    if (end < start) {
      throw ApiException.invalidParam("end", "end timestamp must not be before start time");
    }
    long stepNs = RequestParams.durationNanos("step", r.param("step"));
    if (stepNs <= 0) {
      throw ApiException.invalidParam("step",
          "zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    // Go: end.Sub(start)/step, with Sub saturating at the int64 range of nanoseconds.
    long rangeMs;
    try {
      rangeMs = Math.subtractExact(end, start);
    } catch (ArithmeticException e) {
      rangeMs = Long.MAX_VALUE;
    }
    long rangeNs = saturatingMultiply(rangeMs, 1_000_000L);
    if (rangeNs / stepNs > MAX_POINTS) {
      throw ApiException.badData("exceeded maximum resolution of 11,000 points per timeseries."
          + " Try decreasing the query resolution (?step=XX)");
    }
    QueryOptions opts = options(r);
    int limit = RequestParams.limit(r);
    QueryResult res;
    try {
      String q = r.param("query");
      long stepMs = stepNs / 1_000_000L;
      res = observed(() -> logged(r, q, start, end, stepMs,
          () -> engine.rangeQuery(storage, q, start, end, stepMs, opts)));
    } catch (PromQLException e) {
      if (e.type() == ErrorType.BAD_DATA) {
        // Prometheus 3.x names the parameter as for instant queries (2.x did not).
        throw ApiException.invalidParam("query", e.getMessage());
      }
      throw e;
    }
    return answer(res, limit, !r.param("stats").isEmpty());
  }

  /**
   * /api/v1/query_exemplars as Prometheus's queryExemplars: start/end default to Min/MaxTime, the
   * query must parse, and each vector selector of it is one matcher set (a series is selected
   * when all matchers of one set match). A query without selectors answers 204 without a body
   * (Prometheus's nil data); storage without exemplars answers []. JSON as Prometheus's exemplar encoder: seriesLabels,
   * then exemplars with labels, value (a string, like sample values) and timestamp (seconds
   * with the milliseconds as three digits).
   */
  public ApiResult queryExemplars(ApiRequest r, dev.tsdb.api.QueryParser parser,
      ExemplarQueryable exemplars) throws IOException {
    long start = RequestParams.time(r, "start", dev.tsdb.api.params.TimeParams.MIN_TIME_MS);
    long end = RequestParams.time(r, "end", dev.tsdb.api.params.TimeParams.MAX_TIME_MS);
    if (end < start) {
      throw ApiException.badData("end timestamp must not be before start timestamp");
    }
    dev.tsdb.promql.ast.Expr expr;
    try {
      expr = parser.parse(r.param("query"));
    } catch (PromQLException e) {
      throw ApiException.badData(e.getMessage());
    }
    List<dev.tsdb.promql.ast.VectorSelector> selectors = Selectors.of(expr);
    if (selectors.isEmpty()) {
      return new ApiResult(null, List.of(), List.of());
    }
    List<ExemplarSeries> found;
    if (exemplars == null) {
      found = List.of();
    } else {
      List<List<Matcher>> sets = new ArrayList<>(selectors.size());
      for (dev.tsdb.promql.ast.VectorSelector vs : selectors) {
        sets.add(vs.matchers());
      }
      found = exemplars.selectExemplars(start, end, sets);
    }
    return ApiResult.of(g -> writeExemplars(g, found));
  }

  static void writeExemplars(com.fasterxml.jackson.core.JsonGenerator g,
      List<ExemplarSeries> found) throws IOException {
    g.writeStartArray();
    for (ExemplarSeries es : found) {
      g.writeStartObject();
      g.writeFieldName("seriesLabels");
      ApiJson.writeLabels(g, es.seriesLabels());
      g.writeArrayFieldStart("exemplars");
      for (Exemplar e : es.exemplars()) {
        g.writeStartObject();
        g.writeFieldName("labels");
        ApiJson.writeLabels(g, e.labels());
        g.writeFieldName("value");
        ApiJson.writeSampleValue(g, e.value());
        g.writeFieldName("timestamp");
        ApiJson.writePointTimestamp(g, e.timestampMs());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** /api/v1/format_query: the query pretty-printed as Prometheus's expr.Pretty(0). */
  public ApiResult formatQuery(ApiRequest r, dev.tsdb.api.QueryParser parser,
      java.util.function.Function<dev.tsdb.promql.ast.Expr, String> prettier) throws IOException {
    dev.tsdb.promql.ast.Expr expr = parseParam(r, parser);
    String pretty = prettier.apply(expr);
    return ApiResult.of(g -> g.writeString(pretty));
  }

  /** /api/v1/parse_query: the AST as JSON (Prometheus's translateAST). */
  public ApiResult parseQuery(ApiRequest r, dev.tsdb.api.QueryParser parser,
      java.util.function.Function<dev.tsdb.promql.ast.Expr, Object> toJson) throws IOException {
    Object tree = toJson.apply(parseParam(r, parser));
    return ApiResult.of(g -> dev.tsdb.api.json.ApiJson.writePlain(g, tree));
  }

  private static dev.tsdb.promql.ast.Expr parseParam(ApiRequest r,
      dev.tsdb.api.QueryParser parser) throws IOException {
    try {
      return parser.parse(r.param("query"));
    } catch (PromQLException e) {
      throw ApiException.invalidParam("query", e.getMessage());
    }
  }

  private QueryOptions options(ApiRequest r) throws IOException {
    long timeoutMs = defaultTimeoutMs;
    long requestTimeoutMs = 0;
    String to = r.param("timeout");
    if (!to.isEmpty()) {
      long ns = RequestParams.durationNanos("timeout", to);
      requestTimeoutMs = Math.max(1, ns / 1_000_000L);
      timeoutMs = timeoutMs > 0 ? Math.min(timeoutMs, requestTimeoutMs) : requestTimeoutMs;
    }
    long lookbackMs = 0;
    String lb = r.param("lookback_delta");
    if (!lb.isEmpty()) {
      try {
        lookbackMs = dev.tsdb.api.params.TimeParams.parseDurationNanos(lb) / 1_000_000L;
      } catch (IllegalArgumentException e) {
        throw ApiException.badData("error parsing lookback delta duration: " + e.getMessage());
      }
    }
    return new QueryOptions(lookbackMs, timeoutMs, requestTimeoutMs);
  }

  /** The result as data; with its stats when asked (any non-empty {@code stats}, as Prometheus). */
  private static ApiResult answer(QueryResult res, int limit, boolean withStats) {
    Value v = res.value();
    List<String> warnings = res.warnings();
    if (limit > 0) {
      if (v instanceof Vector vec && vec.samples().size() > limit) {
        v = new Vector(vec.samples().subList(0, limit));
        warnings = withTruncation(warnings);
      } else if (v instanceof Matrix m && m.series().size() > limit) {
        v = new Matrix(m.series().subList(0, limit));
        warnings = withTruncation(warnings);
      }
    }
    Value value = v;
    return new ApiResult(g -> {
      g.writeStartObject();
      ValueJson.writeQueryData(g, value);
      if (withStats) {
        g.writeFieldName("stats");
        g.writeStartObject();
        dev.tsdb.api.json.StatsJson.write(g, res.stats());
        g.writeEndObject();
      }
      g.writeEndObject();
    }, warnings, res.infos());
  }

  private static List<String> withTruncation(List<String> warnings) {
    List<String> w = new ArrayList<>(warnings);
    w.add(RequestParams.TRUNCATED);
    return w;
  }

  private static long saturatingMultiply(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
      return lo;
    }
    return a > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
  }
}

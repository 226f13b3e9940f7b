package dev.tsdb.promql.parser;

import dev.tsdb.promql.ast.ExprType;
import dev.tsdb.promql.ast.Function;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The PromQL function table of Prometheus 3.x: argument types, variadic count (0 fixed, -1 any
 * number of trailing arguments of the last type, N up to N optional trailing arguments),
 * return type and whether the function is experimental (refused unless enabled).
 */
public final class Functions {
  private static final ExprType V = ExprType.VECTOR;
  private static final ExprType M = ExprType.MATRIX;
  private static final ExprType S = ExprType.SCALAR;
  private static final ExprType STR = ExprType.STRING;

  private static final Map<String, Function> TABLE = new TreeMap<>();

  static {
    // Instant-vector math.
    for (String name : new String[] {"abs", "absent", "acos", "acosh", "asin", "asinh", "atan",
        "atanh", "ceil", "cos", "cosh", "deg", "exp", "floor", "histogram_avg",
        "histogram_count", "histogram_sum", "histogram_stddev", "histogram_stdvar", "ln",
        "log10", "log2", "rad", "sgn", "sin", "sinh", "sort", "sort_desc", "sqrt", "tan", "tanh",
        "timestamp"}) {
      add(name, List.of(V), 0, V, false);
    }
    // Range-vector functions.
    for (String name : new String[] {"absent_over_time", "avg_over_time", "changes",
        "count_over_time", "delta", "deriv", "idelta", "increase", "irate", "last_over_time",
        "max_over_time", "min_over_time", "present_over_time", "rate", "resets",
        "stddev_over_time", "stdvar_over_time", "sum_over_time"}) {
      add(name, List.of(M), 0, V, false);
    }
    for (String name : new String[] {"first_over_time", "mad_over_time", "ts_of_first_over_time",
        "ts_of_last_over_time", "ts_of_max_over_time", "ts_of_min_over_time"}) {
      add(name, List.of(M), 0, V, true);
    }
    // Date functions take an optional vector.
    for (String name : new String[] {"day_of_month", "day_of_week", "day_of_year",
        "days_in_month", "hour", "minute", "month", "year"}) {
      add(name, List.of(V), 1, V, false);
    }
    add("clamp", List.of(V, S, S), 0, V, false);
    add("clamp_max", List.of(V, S), 0, V, false);
    add("clamp_min", List.of(V, S), 0, V, false);
    add("histogram_fraction", List.of(S, S, V), 0, V, false);
    add("histogram_quantile", List.of(S, V), 0, V, false);
    add("histogram_quantiles", List.of(V, STR, S, S), 9, V, true);
    add("double_exponential_smoothing", List.of(M, S, S), 0, V, true);
    add("info", List.of(V, V), 1, V, true);
    add("integral", List.of(M, S), 1, V, true);
    add("label_replace", List.of(V, STR, STR, STR, STR), 0, V, false);
    add("label_join", List.of(V, STR, STR, STR), -1, V, false);
    add("pi", List.of(), 0, S, false);
    add("predict_linear", List.of(M, S), 0, V, false);
    add("quantile_over_time", List.of(S, M), 0, V, false);
    add("round", List.of(V, S), 1, V, false);
    add("scalar", List.of(V), 0, S, false);
    add("sort_by_label", List.of(V, STR), -1, V, true);
    add("sort_by_label_desc", List.of(V, STR), -1, V, true);
    add("time", List.of(), 0, S, false);
    add("vector", List.of(S), 0, V, false);
    add("min_of", List.of(S, S), 0, S, true);
    add("max_of", List.of(S, S), 0, S, true);
    add("start_timestamp", List.of(V), 0, V, true);
    // Query-parameter functions (experimental).
    add("start", List.of(), 0, S, true);
    add("end", List.of(), 0, S, true);
    add("step", List.of(), 0, S, true);
    add("range", List.of(), 0, S, true);
  }

  private Functions() {}

  private static void add(String name, List<ExprType> args, int variadic, ExprType ret,
      boolean experimental) {
    TABLE.put(name, new Function(name, args, variadic, ret, experimental));
  }

  /** The function called {@code name}, or null when there is none. */
  public static Function get(String name) {
    return TABLE.get(name);
  }

  /** All functions by name. */
  public static Map<String, Function> all() {
    return Collections.unmodifiableMap(TABLE);
  }
}

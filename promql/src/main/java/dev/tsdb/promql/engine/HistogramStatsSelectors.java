package dev.tsdb.promql.engine;

import dev.tsdb.promql.ast.AggregateExpr;
import dev.tsdb.promql.ast.BinaryExpr;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.MatrixSelector;
import dev.tsdb.promql.ast.ParenExpr;
import dev.tsdb.promql.ast.StepInvariantExpr;
import dev.tsdb.promql.ast.SubqueryExpr;
import dev.tsdb.promql.ast.UnaryExpr;
import dev.tsdb.promql.ast.VectorSelector;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Finds the selectors of a (preprocessed) expression whose histograms may be read as statistics
 * only ({@link HistogramStatsIterator}), where Prometheus's engine does: below histogram_count,
 * histogram_sum or histogram_avg, unless something on the way up needs the buckets after all: a
 * subquery (its re-evaluation seeks, and explicit counter reset detection there needs buckets), a
 * function reading buckets (histogram_quantile, histogram_quantiles, histogram_fraction) or a
 * trim operator ({@code </}, {@code >/}).
 *
 * <p>Besides being cheaper, this read decides "unknown" counter reset hints itself, so it
 * changes which hints (and hence which aggregation warnings) the query sees, as upstream.
 */
final class HistogramStatsSelectors {
  private static final Set<String> STATISTICS =
      Set.of("histogram_count", "histogram_sum", "histogram_avg");
  private static final Set<String> NEED_BUCKETS =
      Set.of("histogram_quantile", "histogram_quantiles", "histogram_fraction");
  private static final Set<String> TRIM_OPERATORS = Set.of("</", ">/");

  private final Set<VectorSelector> found = Collections.newSetFromMap(new IdentityHashMap<>());

  private HistogramStatsSelectors() {}

  /** The selectors (by identity) to read as histogram statistics only. */
  static Set<VectorSelector> of(Expr e) {
    HistogramStatsSelectors s = new HistogramStatsSelectors();
    s.walk(e, false);
    return s.found;
  }

  /** {@code statsAbove}: a statistics function encloses e, and nothing that needs buckets. */
  private void walk(Expr e, boolean statsAbove) {
    if (e instanceof VectorSelector vs) {
      if (statsAbove) {
        found.add(vs);
      }
    } else if (e instanceof SubqueryExpr) {
      return; // nothing below a subquery qualifies: no selector needs visiting
    } else if (e instanceof Call c) {
      String name = c.func().name();
      if (NEED_BUCKETS.contains(name)) {
        return;
      }
      boolean below = statsAbove || STATISTICS.contains(name);
      for (Expr a : c.args()) {
        walk(a, below);
      }
    } else if (e instanceof BinaryExpr b) {
      if (TRIM_OPERATORS.contains(b.op().symbol())) {
        return;
      }
      walk(b.lhs(), statsAbove);
      walk(b.rhs(), statsAbove);
    } else if (e instanceof AggregateExpr a) {
      if (a.param() != null) {
        walk(a.param(), statsAbove);
      }
      walk(a.expr(), statsAbove);
    } else if (e instanceof MatrixSelector m) {
      walk(m.selector(), statsAbove);
    } else if (e instanceof ParenExpr p) {
      walk(p.expr(), statsAbove);
    } else if (e instanceof UnaryExpr u) {
      walk(u.expr(), statsAbove);
    } else if (e instanceof StepInvariantExpr si) {
      walk(si.expr(), statsAbove);
    }
  }
}

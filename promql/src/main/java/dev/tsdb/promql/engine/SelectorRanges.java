package dev.tsdb.promql.engine;

import dev.tsdb.promql.ast.AggregateExpr;
import dev.tsdb.promql.ast.AtMode;
import dev.tsdb.promql.ast.BinaryExpr;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.MatrixSelector;
import dev.tsdb.promql.ast.ParenExpr;
import dev.tsdb.promql.ast.StepInvariantExpr;
import dev.tsdb.promql.ast.SubqueryExpr;
import dev.tsdb.promql.ast.UnaryExpr;
import dev.tsdb.promql.ast.VectorSelector;
import dev.tsdb.index.storage.SelectHints;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Computes, for every selector of a (preprocessed) expression, the exact time range of samples
 * evaluation will read — accounting for lookback, ranges, offsets, {@code @} and enclosing
 * subqueries — plus the pushdown hints, as Prometheus's FindMinMaxTime and populateSeries do.
 */
final class SelectorRanges {
  final Map<VectorSelector, SelectHints> hints = new IdentityHashMap<>();
  long mint = Long.MAX_VALUE;
  long maxt = Long.MIN_VALUE;

  private final long start;
  private final long end;
  private final long interval;
  private final long lookback;
  private final long noStepSubqueryInterval;
  private final Deque<Expr> path = new ArrayDeque<>();

  private SelectorRanges(long start, long end, long interval, long lookback,
      long noStepSubqueryInterval) {
    this.start = start;
    this.end = end;
    this.interval = interval;
    this.lookback = lookback;
    this.noStepSubqueryInterval = noStepSubqueryInterval;
  }

  static SelectorRanges compute(Expr e, long start, long end, long interval, long lookback,
      long noStepSubqueryInterval) {
    SelectorRanges r = new SelectorRanges(start, end, interval, lookback,
        noStepSubqueryInterval);
    r.walk(e, 0);
    if (r.maxt == Long.MIN_VALUE) {
      r.mint = 0;
      r.maxt = 0;
    }
    return r;
  }

  private void walk(Expr e, long evalRange) {
    if (e instanceof VectorSelector vs) {
      selector(vs, evalRange);
      return;
    }
    path.addLast(e);
    try {
      if (e instanceof MatrixSelector m) {
        walk(m.selector(), m.rangeMs());
      } else if (e instanceof AggregateExpr a) {
        if (a.param() != null) {
          walk(a.param(), 0);
        }
        walk(a.expr(), 0);
      } else if (e instanceof BinaryExpr b) {
        walk(b.lhs(), 0);
        walk(b.rhs(), 0);
      } else if (e instanceof Call c) {
        for (Expr a : c.args()) {
          walk(a, 0);
        }
      } else if (e instanceof ParenExpr p) {
        walk(p.expr(), 0);
      } else if (e instanceof UnaryExpr u) {
        walk(u.expr(), 0);
      } else if (e instanceof SubqueryExpr s) {
        walk(s.expr(), 0);
      } else if (e instanceof StepInvariantExpr si) {
        walk(si.expr(), 0);
      }
    } finally {
      path.removeLast();
    }
  }

  private void selector(VectorSelector n, long evalRange) {
    long s = start;
    long e = end;
    long subqOffset = 0;
    long subqRange = 0;
    boolean subqAt = false;
    long subqTs = 0;
    long step = interval;
    for (Expr node : path) {
      if (node instanceof SubqueryExpr sq) {
        subqOffset += sq.offsetMs();
        subqRange += sq.rangeMs();
        if (sq.atMode() != AtMode.NONE) {
          subqOffset = sq.offsetMs();
          subqRange = sq.rangeMs();
          subqAt = true;
          subqTs = sq.atMs();
        }
        step = sq.stepMs() != 0 ? sq.stepMs() : noStepSubqueryInterval;
      }
    }
    if (subqAt) {
      s = subqTs;
      e = subqTs;
    }
    if (n.atMode() != AtMode.NONE) {
      s = n.atMs();
      e = n.atMs();
    } else {
      s = s - subqOffset - subqRange;
      e = e - subqOffset;
    }
    if (evalRange == 0) {
      s -= lookback - 1;
      if (n.smoothed()) {
        e += lookback;
      }
    } else if (n.anchored()) {
      s -= lookback + evalRange - 1;
    } else if (n.smoothed()) {
      s -= lookback + evalRange - 1;
      e += lookback;
    } else {
      s -= evalRange - 1;
    }
    s -= n.offsetMs();
    e -= n.offsetMs();
    mint = Math.min(mint, s);
    maxt = Math.max(maxt, e);
    String func = null;
    List<String> grouping = List.of();
    boolean by = false;
    Iterator<Expr> it = path.descendingIterator();
    boolean first = true;
    while (it.hasNext()) {
      Expr p = it.next();
      if (first && p instanceof AggregateExpr a) {
        by = !a.without();
        grouping = new ArrayList<>(a.grouping());
      }
      first = false;
      if (p instanceof AggregateExpr a) {
        func = a.op().keyword();
        break;
      }
      if (p instanceof Call c) {
        func = c.func().name();
        break;
      }
      if (p instanceof BinaryExpr) {
        break;
      }
    }
    hints.put(n, new SelectHints(s, e, step, evalRange, func, grouping, by));
  }
}

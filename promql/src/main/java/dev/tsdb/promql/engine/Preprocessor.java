package dev.tsdb.promql.engine;

import dev.tsdb.promql.ast.AggregateExpr;
import dev.tsdb.promql.ast.AtMode;
import dev.tsdb.promql.ast.BinaryExpr;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.MatrixSelector;
import dev.tsdb.promql.ast.NumberLiteral;
import dev.tsdb.promql.ast.ParenExpr;
import dev.tsdb.promql.ast.StepInvariantExpr;
import dev.tsdb.promql.ast.StringLiteral;
import dev.tsdb.promql.ast.SubqueryExpr;
import dev.tsdb.promql.ast.UnaryExpr;
import dev.tsdb.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a parsed expression before evaluation, as Prometheus's PreprocessExpr does: resolves
 * {@code @ start()} / {@code @ end()} to timestamps, replaces the query-context functions
 * {@code start()}, {@code end()}, {@code step()} and {@code range()} by their values, removes
 * parentheses around function and aggregation arguments, and wraps the largest step-invariant
 * subtrees (those pinned by {@code @}) in {@link StepInvariantExpr} so they are evaluated once.
 * Duration expressions must already be resolved ({@link dev.tsdb.promql.ast.DurationResolver});
 * rebuilt nodes keep them so the tree still formats as written.
 */
final class Preprocessor {
  private final long start;
  private final long end;
  private final long step;

  private Preprocessor(long start, long end, long step) {
    this.start = start;
    this.end = end;
    this.step = step;
  }

  static Expr run(Expr e, long start, long end, long step) {
    Preprocessor p = new Preprocessor(start, end, step);
    Result r = p.walk(e);
    return r.shouldWrap ? new StepInvariantExpr(r.expr, r.expr.pos()) : r.expr;
  }

  private record Result(Expr expr, boolean invariant, boolean shouldWrap) {}

  private static Expr unwrapParens(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    return e;
  }

  private static StepInvariantExpr wrap(Expr e) {
    return new StepInvariantExpr(e, e.pos());
  }

  private Result walk(Expr e) {
    if (e instanceof VectorSelector vs) {
      VectorSelector n = resolve(vs);
      boolean at = n.atMode() != AtMode.NONE;
      return new Result(n, at, at);
    }
    if (e instanceof AggregateExpr a) {
      Expr inner = unwrapParens(a.expr());
      Expr param = a.param() == null ? null : unwrapParens(a.param());
      Result r = walk(inner);
      if (param != null) {
        param = walk(param).expr;
      }
      return new Result(new AggregateExpr(a.op(), r.expr, param, a.grouping(), a.without(),
          a.pos()), r.invariant, r.shouldWrap);
    }
    if (e instanceof BinaryExpr b) {
      Result l = walk(b.lhs());
      Result r = walk(b.rhs());
      if (l.invariant && r.invariant) {
        return new Result(new BinaryExpr(b.op(), l.expr, r.expr, b.matching(), b.returnBool(),
            b.pos()), true, true);
      }
      Expr le = l.shouldWrap ? wrap(l.expr) : l.expr;
      Expr re = r.shouldWrap ? wrap(r.expr) : r.expr;
      return new Result(new BinaryExpr(b.op(), le, re, b.matching(), b.returnBool(), b.pos()),
          false, false);
    }
    if (e instanceof Call c) {
      String name = c.func().name();
      if (c.args().isEmpty()) {
        switch (name) {
          case "step":
            return new Result(new NumberLiteral(step / 1000.0, c.pos()), true, false);
          case "range":
            return new Result(new NumberLiteral((end - start) / 1000.0, c.pos()), true, false);
          case "start":
            return new Result(new NumberLiteral(start / 1000.0, c.pos()), true, false);
          case "end":
            return new Result(new NumberLiteral(end / 1000.0, c.pos()), true, false);
          default:
            break;
        }
      }
      boolean invariant = !Functions.AT_MODIFIER_UNSAFE.contains(name);
      List<Result> args = new ArrayList<>(c.args().size());
      for (Expr arg : c.args()) {
        Result r = walk(unwrapParens(arg));
        args.add(r);
        invariant = invariant && r.invariant;
      }
      List<Expr> newArgs = new ArrayList<>(args.size());
      for (Result r : args) {
        newArgs.add(!invariant && r.shouldWrap ? wrap(r.expr) : r.expr);
      }
      Call n = new Call(c.func(), newArgs, c.pos());
      return new Result(n, invariant, invariant);
    }
    if (e instanceof MatrixSelector m) {
      Result r = walk(m.selector());
      return new Result(new MatrixSelector((VectorSelector) r.expr, m.rangeMs(), m.pos(),
          m.rangeExpr()),
          r.invariant, false);
    }
    if (e instanceof SubqueryExpr s) {
      Result r = walk(s.expr());
      Expr inner = r.invariant ? wrap(r.expr) : r.expr;
      AtMode mode = s.atMode();
      long at = s.atMs();
      if (mode == AtMode.START) {
        mode = AtMode.TIMESTAMP;
        at = start;
      } else if (mode == AtMode.END) {
        mode = AtMode.TIMESTAMP;
        at = end;
      }
      boolean hasAt = mode != AtMode.NONE;
      return new Result(new SubqueryExpr(inner, s.rangeMs(), s.stepMs(), s.offsetMs(), mode, at,
          s.pos(), s.rangeExpr(), s.stepExpr(), s.offsetExpr()), hasAt, hasAt);
    }
    if (e instanceof ParenExpr p) {
      Result r = walk(p.expr());
      return new Result(new ParenExpr(r.expr, p.pos()), r.invariant, r.shouldWrap);
    }
    if (e instanceof UnaryExpr u) {
      Result r = walk(u.expr());
      return new Result(new UnaryExpr(u.negate(), r.expr, u.pos()), r.invariant, r.shouldWrap);
    }
    if (e instanceof StringLiteral || e instanceof NumberLiteral) {
      return new Result(e, true, false);
    }
    if (e instanceof StepInvariantExpr si) {
      return new Result(si, true, false);
    }
    throw new IllegalStateException("unexpected node " + e);
  }

  private VectorSelector resolve(VectorSelector vs) {
    if (vs.atMode() == AtMode.START) {
      return new VectorSelector(vs.name(), vs.matchers(), vs.offsetMs(), AtMode.TIMESTAMP, start,
          vs.pos(), vs.anchored(), vs.smoothed(), vs.offsetExpr());
    }
    if (vs.atMode() == AtMode.END) {
      return new VectorSelector(vs.name(), vs.matchers(), vs.offsetMs(), AtMode.TIMESTAMP, end,
          vs.pos(), vs.anchored(), vs.smoothed(), vs.offsetExpr());
    }
    return vs;
  }
}

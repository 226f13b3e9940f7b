package dev.tsdb.promql.ast;

import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.parser.DeepStack;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves experimental duration expressions ({@link DurationExpr}) against a query's time
 * parameters, like upstream's engine does before evaluation: each {@code rangeExpr},
 * {@code stepExpr} and {@code offsetExpr} is evaluated and written into the corresponding
 * millisecond field. The expressions stay on the nodes, so formatting is unchanged.
 *
 * <p>The engine must call this for every query whose tree may contain duration expressions
 * ({@link #needsResolving} tells); trees without them are returned as they are.
 */
public final class DurationResolver {
  private final double stepSeconds;
  private final double rangeSeconds;

  private DurationResolver(long startMs, long endMs, long stepMs) {
    this.stepSeconds = stepMs / 1000.0;
    this.rangeSeconds = (endMs - startMs) / 1000.0;
  }

  /** True when {@code e} holds a duration expression anywhere. */
  public static boolean needsResolving(Expr e) {
    return DeepStack.call(() -> contains(e));
  }

  /**
   * Returns {@code e} with every duration expression evaluated for a query from startMs to endMs
   * with the given step (0 and start == end for instant queries).
   *
   * @throws PromQLException BAD_DATA with upstream's message ("duration must be greater than 0",
   *     "division by zero", ...)
   */
  public static Expr resolve(Expr e, long startMs, long endMs, long stepMs) {
    if (!needsResolving(e)) {
      return e;
    }
    DurationResolver r = new DurationResolver(startMs, endMs, stepMs);
    return DeepStack.call(() -> r.rewrite(e));
  }

  private static boolean contains(Expr e) {
    if (e instanceof VectorSelector vs) {
      return vs.offsetExpr() != null;
    }
    if (e instanceof MatrixSelector m) {
      return m.rangeExpr() != null || contains(m.selector());
    }
    if (e instanceof SubqueryExpr s) {
      return s.rangeExpr() != null || s.stepExpr() != null || s.offsetExpr() != null
          || contains(s.expr());
    }
    if (e instanceof AggregateExpr a) {
      return (a.expr() != null && contains(a.expr())) || (a.param() != null && contains(a.param()));
    }
    if (e instanceof BinaryExpr b) {
      return contains(b.lhs()) || contains(b.rhs());
    }
    if (e instanceof Call c) {
      for (Expr arg : c.args()) {
        if (contains(arg)) {
          return true;
        }
      }
      return false;
    }
    if (e instanceof ParenExpr p) {
      return contains(p.expr());
    }
    if (e instanceof UnaryExpr u) {
      return contains(u.expr());
    }
    if (e instanceof StepInvariantExpr s) {
      return contains(s.expr());
    }
    return false;
  }

  private Expr rewrite(Expr e) {
    if (e instanceof VectorSelector vs) {
      return selector(vs);
    }
    if (e instanceof MatrixSelector m) {
      long range = m.rangeExpr() == null ? m.rangeMs() : millis(m.rangeExpr(), false);
      return new MatrixSelector(selector(m.selector()), range, m.pos(), m.rangeExpr());
    }
    if (e instanceof SubqueryExpr s) {
      long offset = s.offsetExpr() == null ? s.offsetMs() : millis(s.offsetExpr(), true);
      long step = s.stepExpr() == null ? s.stepMs() : millis(s.stepExpr(), false);
      long range = s.rangeExpr() == null ? s.rangeMs() : millis(s.rangeExpr(), false);
      return new SubqueryExpr(rewrite(s.expr()), range, step, offset, s.atMode(), s.atMs(),
          s.pos(), s.rangeExpr(), s.stepExpr(), s.offsetExpr());
    }
    if (e instanceof AggregateExpr a) {
      return new AggregateExpr(a.op(), a.expr() == null ? null : rewrite(a.expr()),
          a.param() == null ? null : rewrite(a.param()), a.grouping(), a.without(), a.pos());
    }
    if (e instanceof BinaryExpr b) {
      return new BinaryExpr(b.op(), rewrite(b.lhs()), rewrite(b.rhs()), b.matching(),
          b.returnBool(), b.pos());
    }
    if (e instanceof Call c) {
      List<Expr> args = new ArrayList<>(c.args().size());
      for (Expr arg : c.args()) {
        args.add(rewrite(arg));
      }
      return new Call(c.func(), args, c.pos());
    }
    if (e instanceof ParenExpr p) {
      return new ParenExpr(rewrite(p.expr()), p.pos());
    }
    if (e instanceof UnaryExpr u) {
      return new UnaryExpr(u.negate(), rewrite(u.expr()), u.pos());
    }
    if (e instanceof StepInvariantExpr s) {
      return new StepInvariantExpr(rewrite(s.expr()), s.pos());
    }
    return e;
  }

  private VectorSelector selector(VectorSelector vs) {
    if (vs.offsetExpr() == null) {
      return vs;
    }
    return new VectorSelector(vs.name(), vs.matchers(), millis(vs.offsetExpr(), true),
        vs.atMode(), vs.atMs(), vs.pos(), vs.anchored(), vs.smoothed(), vs.offsetExpr());
  }

  /** Upstream's calculateDuration. */
  private long millis(DurationExpr d, boolean allowNegative) {
    double seconds;
    try {
      seconds = d.evaluate(stepSeconds, rangeSeconds);
    } catch (IllegalArgumentException e) {
      throw new PromQLException(ErrorType.BAD_DATA, e.getMessage());
    }
    if (!(seconds > 0) && !allowNegative) {
      throw new PromQLException(ErrorType.BAD_DATA, "duration must be greater than 0");
    }
    if (seconds * 1e9 > 9.223372036854775807E18 || seconds * 1e9 < -9.223372036854775808E18) {
      throw new PromQLException(ErrorType.BAD_DATA, "duration is out of range");
    }
    return (long) (seconds * 1000);
  }
}

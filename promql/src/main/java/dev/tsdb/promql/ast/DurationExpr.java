package dev.tsdb.promql.ast;

/**
 * An experimental duration expression ({@code --enable-feature=promql-duration-expr}) used as a
 * range, subquery step or offset: {@code foo[5m+1m]}, {@code foo offset (1h*2)},
 * {@code foo[step()]}, {@code foo[min_of(step(), 1m)]}. Values are in seconds. Not an
 * {@link Expr}: it only appears inside selectors and subqueries, next to the millisecond field
 * it determines.
 *
 * @param kind what this node computes
 * @param value the number for LITERAL nodes (seconds), else 0
 * @param durationLiteral LITERAL written as a duration ({@code 5m}) rather than a number
 * @param lhs left operand of binary kinds and MIN_OF/MAX_OF, else null
 * @param rhs right or only operand, null for LITERAL, STEP and RANGE
 * @param wrapped written in parentheses (kept so formatting round-trips)
 */
public record DurationExpr(Kind kind, double value, boolean durationLiteral, DurationExpr lhs,
    DurationExpr rhs, boolean wrapped, PosRange pos) {

  public enum Kind {
    LITERAL, ADD, SUB, MUL, DIV, MOD, POW, NEGATE, STEP, RANGE, MIN_OF, MAX_OF
  }

  public static DurationExpr literal(double seconds, boolean durationLiteral, PosRange pos) {
    return new DurationExpr(Kind.LITERAL, seconds, durationLiteral, null, null, false, pos);
  }

  /** The same node in parentheses. */
  public DurationExpr inParens(PosRange outer) {
    return new DurationExpr(kind, value, durationLiteral, lhs, rhs, true, outer);
  }

  /** True when no step() or range() occurs, so the value is known at parse time. */
  public boolean isConstant() {
    if (kind == Kind.STEP || kind == Kind.RANGE) {
      return false;
    }
    return (lhs == null || lhs.isConstant()) && (rhs == null || rhs.isConstant());
  }

  /**
   * The value in seconds for a query with the given step and range (end - start), both in
   * seconds (0 for instant queries).
   *
   * @throws IllegalArgumentException "division by zero" or "modulo by zero"
   */
  public double evaluate(double stepSeconds, double rangeSeconds) {
    switch (kind) {
      case LITERAL:
        return value;
      case STEP:
        return stepSeconds;
      case RANGE:
        return rangeSeconds;
      case NEGATE:
        return -rhs.evaluate(stepSeconds, rangeSeconds);
      default:
        break;
    }
    double l = lhs.evaluate(stepSeconds, rangeSeconds);
    double r = rhs.evaluate(stepSeconds, rangeSeconds);
    switch (kind) {
      case ADD:
        return l + r;
      case SUB:
        return l - r;
      case MUL:
        return l * r;
      case DIV:
        if (r == 0) {
          throw new IllegalArgumentException("division by zero");
        }
        return l / r;
      case MOD:
        if (r == 0) {
          throw new IllegalArgumentException("modulo by zero");
        }
        return l % r;
      case POW:
        return Math.pow(l, r);
      case MIN_OF:
        return Double.isNaN(l) || Double.isNaN(r) ? Double.NaN : Math.min(l, r);
      case MAX_OF:
        return Double.isNaN(l) || Double.isNaN(r) ? Double.NaN : Math.max(l, r);
      default:
        throw new IllegalStateException("unknown duration expression " + kind);
    }
  }

  /** Prometheus's formatting of a duration expression. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    Printer.writeDuration(sb, this);
    return sb.toString();
  }
}

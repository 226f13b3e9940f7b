package dev.tsdb.promql.ast;

/**
 * {@code expr[range:step]}; {@code stepMs} is 0 when omitted ({@code [range:]}). The
 * {@code *Expr} components are experimental duration expressions the range, step or offset were
 * written as (null for plain durations); when set, the matching millisecond field is only valid
 * after the engine resolved them.
 */
public record SubqueryExpr(Expr expr, long rangeMs, long stepMs, long offsetMs, AtMode atMode,
    long atMs, PosRange pos, DurationExpr rangeExpr, DurationExpr stepExpr,
    DurationExpr offsetExpr) implements Expr {
  public SubqueryExpr(Expr expr, long rangeMs, long stepMs, long offsetMs, AtMode atMode,
      long atMs, PosRange pos) {
    this(expr, rangeMs, stepMs, offsetMs, atMode, atMs, pos, null, null, null);
  }

  @Override
  public ExprType type() {
    return ExprType.MATRIX;
  }

  @Override
  public <R> R accept(ExprVisitor<R> v) {
    return v.visitSubquery(this);
  }

  /** Prometheus's canonical formatting of this expression. */
  @Override
  public String toString() {
    return Printer.format(this);
  }
}

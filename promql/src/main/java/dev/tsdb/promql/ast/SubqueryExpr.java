package dev.tsdb.promql.ast;

/** {@code expr[range:step]}; {@code stepMs} is 0 when omitted ({@code [range:]}). */
public record SubqueryExpr(Expr expr, long rangeMs, long stepMs, long offsetMs, AtMode atMode,
    long atMs, PosRange pos) implements Expr {
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

package dev.tsdb.promql.ast;

/**
 * A range-vector selector {@code selector[range]}; offset and @ live on the inner selector.
 * {@code rangeExpr} is the experimental duration expression the range was written as (null for
 * a plain duration); when set, rangeMs is only valid after the engine resolved it (see
 * {@link DurationExpr}).
 */
public record MatrixSelector(VectorSelector selector, long rangeMs, PosRange pos,
    DurationExpr rangeExpr) implements Expr {
  public MatrixSelector(VectorSelector selector, long rangeMs, PosRange pos) {
    this(selector, rangeMs, pos, null);
  }

  @Override
  public ExprType type() {
    return ExprType.MATRIX;
  }

  @Override
  public <R> R accept(ExprVisitor<R> v) {
    return v.visitMatrixSelector(this);
  }

  /** Prometheus's canonical formatting of this expression. */
  @Override
  public String toString() {
    return Printer.format(this);
  }
}

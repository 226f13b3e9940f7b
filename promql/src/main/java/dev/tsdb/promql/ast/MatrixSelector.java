package dev.tsdb.promql.ast;

/** A range-vector selector {@code selector[range]}; offset and @ live on the inner selector. */
public record MatrixSelector(VectorSelector selector, long rangeMs, PosRange pos) implements Expr {
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

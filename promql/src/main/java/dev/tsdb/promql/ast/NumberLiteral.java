package dev.tsdb.promql.ast;

/** A float literal (decimal, hex, exponent, Inf, NaN, or a duration used as seconds). */
public record NumberLiteral(double value, PosRange pos) implements Expr {
  @Override
  public ExprType type() {
    return ExprType.SCALAR;
  }

  @Override
  public <R> R accept(ExprVisitor<R> v) {
    return v.visitNumber(this);
  }
}

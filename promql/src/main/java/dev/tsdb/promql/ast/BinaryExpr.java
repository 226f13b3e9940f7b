package dev.tsdb.promql.ast;

/**
 * {@code lhs op [bool] [on|ignoring(...)] [group_left|group_right(...)] rhs}. {@code matching}
 * is null when at least one side is a scalar; set operators between vectors always carry a
 * MANY_TO_MANY matching.
 */
public record BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching,
    boolean returnBool, PosRange pos) implements Expr {
  @Override
  public ExprType type() {
    return lhs.type() == ExprType.SCALAR && rhs.type() == ExprType.SCALAR
        ? ExprType.SCALAR
        : ExprType.VECTOR;
  }

  @Override
  public <R> R accept(ExprVisitor<R> v) {
    return v.visitBinary(this);
  }

  /** Prometheus's canonical formatting of this expression. */
  @Override
  public String toString() {
    return Printer.format(this);
  }
}

package dev.tsdb.promql.ast;

/** Unary {@code -expr} or {@code +expr}; {@code negate} is true for minus. */
public record UnaryExpr(boolean negate, Expr expr, PosRange pos) implements Expr {
  @Override
  public ExprType type() {
    return expr.type();
  }

  @Override
  public <R> R accept(ExprVisitor<R> v) {
    return v.visitUnary(this);
  }

  /** Prometheus's canonical formatting of this expression. */
  @Override
  public String toString() {
    return Printer.format(this);
  }
}

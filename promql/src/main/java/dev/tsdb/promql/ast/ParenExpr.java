package dev.tsdb.promql.ast;

/** A parenthesised expression, kept so formatting round-trips. */
public record ParenExpr(Expr expr, PosRange pos) implements Expr {
  @Override
  public ExprType type() {
    return expr.type();
  }

  @Override
  public <R> R accept(ExprVisitor<R> v) {
    return v.visitParen(this);
  }

  /** Prometheus's canonical formatting of this expression. */
  @Override
  public String toString() {
    return Printer.format(this);
  }
}

package dev.tsdb.promql.ast;

/**
 * Engine-only wrapper marking a subtree whose value is the same at every step (e.g. because of
 * {@code @}); evaluated once and repeated. Never produced by the parser.
 */
public record StepInvariantExpr(Expr expr, PosRange pos) implements Expr {
  @Override
  public ExprType type() {
    return expr.type();
  }

  @Override
  public <R> R accept(ExprVisitor<R> v) {
    return v.visitStepInvariant(this);
  }

  /** Prometheus's canonical formatting of this expression. */
  @Override
  public String toString() {
    return Printer.format(this);
  }
}

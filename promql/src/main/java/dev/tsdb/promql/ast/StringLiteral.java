package dev.tsdb.promql.ast;

/** A string literal, already unescaped. */
public record StringLiteral(String value, PosRange pos) implements Expr {
  @Override
  public ExprType type() {
    return ExprType.STRING;
  }

  @Override
  public <R> R accept(ExprVisitor<R> v) {
    return v.visitString(this);
  }

  /** Prometheus's canonical formatting of this expression. */
  @Override
  public String toString() {
    return Printer.format(this);
  }
}

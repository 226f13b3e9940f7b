package dev.tsdb.promql.ast;

import java.util.List;

/** A function call. */
public record Call(Function func, List<Expr> args, PosRange pos) implements Expr {
  public Call {
    args = List.copyOf(args);
  }

  @Override
  public ExprType type() {
    return func.returnType();
  }

  @Override
  public <R> R accept(ExprVisitor<R> v) {
    return v.visitCall(this);
  }

  /** Prometheus's canonical formatting of this expression. */
  @Override
  public String toString() {
    return Printer.format(this);
  }
}

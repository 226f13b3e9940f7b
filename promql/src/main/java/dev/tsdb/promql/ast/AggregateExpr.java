package dev.tsdb.promql.ast;

import java.util.List;

/**
 * {@code op [by|without (labels)] ([param,] expr)}. {@code param} is null for operators without
 * one. {@code grouping} is empty for a plain aggregation; {@code without} tells by from without.
 */
public record AggregateExpr(AggregateOp op, Expr expr, Expr param, List<String> grouping,
    boolean without, PosRange pos) implements Expr {
  public AggregateExpr {
    grouping = List.copyOf(grouping);
  }

  @Override
  public ExprType type() {
    return ExprType.VECTOR;
  }

  @Override
  public <R> R accept(ExprVisitor<R> v) {
    return v.visitAggregate(this);
  }

  /** Prometheus's canonical formatting of this expression. */
  @Override
  public String toString() {
    return Printer.format(this);
  }
}
